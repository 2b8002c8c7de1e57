import "server-only";
import type { DbTransaction } from "@/lib/db";
import type { GoldAnnotationJson } from "@/lib/review/types";
import { serializeAnnotation, type AnnotationJson, type AnnotationRow } from "@/lib/server/annotations/serialize";

/*
 * Reads every live annotation of an article version as JSON with six flat queries one after another, whatever
 * their number: safe inside a transaction (see read-annotation.ts on relation selects there) and quick for
 * thousands of annotations.
 */

const liveAnnotationFields = {
  id: true,
  articleId: true,
  layer: true,
  userId: true,
  kind: true,
  start: true,
  end: true,
  quote: true,
  entityTypeId: true,
  entityId: true,
  holderEntityId: true,
  targetEntityId: true,
  polarityId: true,
  derivedFromIds: true,
  note: true,
  version: true,
  createdAt: true,
  updatedAt: true,
  deletedAt: true,
} as const;

function distinct(values: (string | null)[]): string[] {
  return [...new Set(values.filter((value): value is string => value !== null))];
}

export interface LiveAnnotations {
  /** Every annotator's live annotations (user layers), by start, end, creation. */
  annotations: AnnotationJson[];
  /** The live gold layer, by start, end, creation. */
  gold: GoldAnnotationJson[];
}

/** The live annotations of one version of an article, `ids` narrowing them to those annotations. */
export async function loadLiveAnnotations(
  client: DbTransaction,
  { projectId, articleVersion, ids }: { projectId: string; articleVersion: { id: string; version: number }; ids?: string[] },
): Promise<LiveAnnotations> {
  const rows = await client.annotation.findMany({
    where: { articleVersionId: articleVersion.id, deletedAt: null, ...(ids ? { id: { in: ids } } : {}) },
    orderBy: [{ start: "asc" }, { end: "asc" }, { createdAt: "asc" }, { id: "asc" }],
    select: liveAnnotationFields,
  });
  const entityIds = distinct(rows.flatMap((row) => [row.entityId, row.holderEntityId, row.targetEntityId]));
  const userIds = distinct(rows.map((row) => row.userId));
  const types = await client.entityType.findMany({ where: { projectId }, select: { id: true, name: true } });
  const polarities = await client.stancePolarity.findMany({ where: { projectId }, select: { id: true, name: true } });
  const entities = entityIds.length ? await client.entity.findMany({ where: { id: { in: entityIds } }, select: { id: true, name: true, aliases: true, entityTypeId: true } }) : [];
  const users = userIds.length ? await client.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }) : [];

  const typeById = new Map(types.map((type) => [type.id, { name: type.name }]));
  const polarityById = new Map(polarities.map((polarity) => [polarity.id, { name: polarity.name }]));
  const userById = new Map(users.map((user) => [user.id, user]));
  const entityById = new Map(entities.map((entity) => [entity.id, { ...entity, entityType: typeById.get(entity.entityTypeId) ?? { name: "" } }]));
  const refOf = (id: string | null) => {
    const entity = id === null ? undefined : entityById.get(id);
    return entity ? { id: entity.id, name: entity.name, entityType: entity.entityType } : null;
  };

  const result: LiveAnnotations = { annotations: [], gold: [] };
  for (const { entityTypeId, polarityId, derivedFromIds, ...row } of rows) {
    const annotationRow: AnnotationRow = {
      ...row,
      articleVersion: { version: articleVersion.version },
      user: row.userId ? (userById.get(row.userId) ?? null) : null,
      entityType: entityTypeId ? (typeById.get(entityTypeId) ?? null) : null,
      entity: row.entityId ? (entityById.get(row.entityId) ?? null) : null,
      holderEntity: refOf(row.holderEntityId),
      targetEntity: refOf(row.targetEntityId),
      polarity: polarityId ? (polarityById.get(polarityId) ?? null) : null,
    };
    const json = serializeAnnotation(annotationRow);
    if (row.layer === "gold") result.gold.push({ ...json, derivedFromIds });
    else result.annotations.push(json);
  }
  return result;
}
