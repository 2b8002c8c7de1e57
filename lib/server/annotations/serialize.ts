import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { AnnotationJson } from "@/lib/validation/annotation";

export type { AnnotationJson };

/** The fields of a linked entity (holder, target, mention) that the annotation JSON shows. */
export const entityRefFields = { id: true, name: true, entityType: { select: { name: true } } } as const;
const entityRef = { select: entityRefFields } as const;

export const annotationSelect = {
  id: true,
  articleId: true,
  layer: true,
  userId: true,
  kind: true,
  start: true,
  end: true,
  quote: true,
  entityId: true,
  holderEntityId: true,
  targetEntityId: true,
  note: true,
  version: true,
  createdAt: true,
  updatedAt: true,
  deletedAt: true,
  articleVersion: { select: { version: true } },
  user: { select: { id: true, name: true } },
  entityType: { select: { name: true } },
  entity: { select: { id: true, name: true, aliases: true, entityType: { select: { name: true } } } },
  holderEntity: entityRef,
  targetEntity: entityRef,
  polarity: { select: { name: true } },
} satisfies Prisma.AnnotationSelect;

export type AnnotationRow = Prisma.AnnotationGetPayload<{ select: typeof annotationSelect }>;

function toRef(entity: { id: string; name: string; entityType: { name: string } } | null) {
  return entity ? { id: entity.id, name: entity.name, type: entity.entityType.name } : null;
}

/** The one annotation serializer: plain JSON (ISO dates), also what the audit log stores. */
export function serializeAnnotation(row: AnnotationRow): AnnotationJson {
  return {
    id: row.id,
    articleId: row.articleId,
    articleVersion: row.articleVersion.version,
    layer: row.layer,
    userId: row.userId,
    annotator: row.user ? { id: row.user.id, name: row.user.name } : null,
    kind: row.kind,
    start: row.start,
    end: row.end,
    quote: row.quote,
    entityType: row.entityType?.name ?? null,
    entityId: row.entityId,
    entity: row.entity ? { id: row.entity.id, name: row.entity.name, type: row.entity.entityType.name, aliases: row.entity.aliases } : null,
    holderEntityId: row.holderEntityId,
    targetEntityId: row.targetEntityId,
    holder: toRef(row.holderEntity),
    target: toRef(row.targetEntity),
    polarity: row.polarity?.name ?? null,
    note: row.note,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    deletedAt: row.deletedAt?.toISOString() ?? null,
  };
}

/** The serialized annotation as an audit-log JSON value. */
export function auditJson(annotation: AnnotationJson): Prisma.InputJsonObject {
  return { ...annotation };
}
