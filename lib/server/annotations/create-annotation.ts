import "server-only";
import { db, type DbTransaction } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/server/audit";
import { requireArticleRole } from "@/lib/server/authz";
import { findEntityTypeByName } from "@/lib/server/entities/entity-types";
import { findOrCreateEntity } from "@/lib/server/entities/find-or-create-entity";
import { requireProjectEntities, requireProjectEntity } from "@/lib/server/entities/references";
import type { AnnotatorStatusName, CreateAnnotationInput } from "@/lib/validation/annotation";
import { markInProgress } from "./annotator-status";
import { assertSpan, getCurrentArticleVersion } from "./current-text";
import { findPolarityByName } from "./polarities";
import { readAnnotation } from "./read-annotation";
import { annotationSelect, auditJson, serializeAnnotation, type AnnotationJson } from "./serialize";

export type Labels =
  | { kind: "entity"; entityTypeId: string; entityId: string }
  | { kind: "stance"; holderEntityId: string; targetEntityId: string; polarityId: string };

/** The label columns of a new annotation, finding or creating the canonical entity when asked to by name. */
export async function resolveLabels(tx: DbTransaction, { userId, projectId, input }: { userId: string; projectId: string; input: CreateAnnotationInput }): Promise<Labels> {
  if (input.kind === "stance") {
    const polarity = await findPolarityByName(tx, { projectId, name: input.polarity });
    await requireProjectEntities(tx, {
      projectId,
      references: [
        { field: "holderEntityId", id: input.holderEntityId },
        { field: "targetEntityId", id: input.targetEntityId },
      ],
    });
    return { kind: "stance", holderEntityId: input.holderEntityId, targetEntityId: input.targetEntityId, polarityId: polarity.id };
  }
  const type = input.entityType !== undefined ? await findEntityTypeByName(tx, { projectId, name: input.entityType }) : null;
  if (input.entityId !== undefined) {
    const entity = await requireProjectEntity(tx, { projectId, field: "entityId", id: input.entityId });
    return { kind: "entity", entityId: entity.id, entityTypeId: type?.id ?? entity.entityTypeId };
  }
  if (!type || input.entityName === undefined) {
    throw new AppError("validation_failed", "An entity mention needs entityId, or entityType (e.g. \"PER\") with entityName.");
  }
  const entity = await findOrCreateEntity(tx, { actorId: userId, projectId, entityTypeId: type.id, name: input.entityName });
  return { kind: "entity", entityId: entity.id, entityTypeId: type.id };
}

/** The row of a new annotation in `userId`'s own layer. */
export function userLayerRow({
  projectId,
  articleId,
  articleVersionId,
  userId,
  input,
  labels,
}: {
  projectId: string;
  articleId: string;
  articleVersionId: string;
  userId: string;
  input: CreateAnnotationInput;
  labels: Labels;
}) {
  return {
    projectId,
    articleId,
    articleVersionId,
    layer: "user" as const,
    userId,
    start: input.start,
    end: input.end,
    quote: input.quote,
    ...labels,
    idempotencyKey: input.idempotencyKey ?? null,
    createdById: userId,
    updatedById: userId,
  };
}

/** An earlier create with the same idempotency key, or null. `conflict` if the key was used for something else. */
async function findReplay({ userId, articleId, input }: { userId: string; articleId: string; input: CreateAnnotationInput }): Promise<AnnotationJson | null> {
  if (input.idempotencyKey === undefined) return null;
  const existing = await db.annotation.findUnique({
    where: { createdById_idempotencyKey: { createdById: userId, idempotencyKey: input.idempotencyKey } },
    select: annotationSelect,
  });
  if (!existing) return null;
  // The key names one create: the same key with another article, kind or span is a client bug, not a retry.
  if (existing.articleId !== articleId || existing.kind !== input.kind || existing.start !== input.start || existing.end !== input.end) {
    throw new AppError("conflict", "This idempotencyKey was already used for another annotation. Use a new key for each new annotation.", {
      annotationId: existing.id,
    });
  }
  return serializeAnnotation(existing);
}

/** Prisma's P2002: a unique index refused the row (for creates, most often an idempotency key already used). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

/**
 * Creates an annotation in the caller's own layer on the article's current version (any member), moves their
 * status from NEW to IN_PROGRESS and audits it. A repeated idempotencyKey returns the first annotation with
 * `created: false` and changes nothing. Throws `validation_failed` for a span that does not fit the text, an
 * unknown entity type or polarity, or an entity not in the project.
 */
export async function createAnnotation({
  userId,
  articleId,
  input,
  access,
}: {
  userId: string;
  articleId: string;
  input: CreateAnnotationInput;
  /** requireArticleRole's answer when the caller has just asked it (the route does, before reading the body). */
  access?: { projectId: string; myStatus: AnnotatorStatusName };
}): Promise<{
  annotation: AnnotationJson;
  created: boolean;
}> {
  const { projectId, myStatus } = access ?? (await requireArticleRole({ userId, articleId }));
  const replay = await findReplay({ userId, articleId, input });
  if (replay) return { annotation: replay, created: false };
  try {
    const annotation = await db.$transaction(async (tx) => {
      const current = await getCurrentArticleVersion(tx, articleId);
      assertSpan(current, input);
      const labels = await resolveLabels(tx, { userId, projectId, input });
      const row = await tx.annotation.create({ data: userLayerRow({ projectId, articleId, articleVersionId: current.id, userId, input, labels }), select: { id: true } });
      const json = serializeAnnotation(await readAnnotation(tx, row.id));
      await recordAudit(tx, { actorId: userId, projectId, action: "annotation.create", objectType: "annotation", objectId: row.id, after: auditJson(json) });
      // Only a first annotation moves the status (NEW → IN_PROGRESS); the others skip the statement.
      if (myStatus === "NEW") await markInProgress(tx, { userId, articleId, projectId });
      return json;
    });
    return { annotation, created: true };
  } catch (error) {
    // The same key sent twice at once: the unique (createdById, idempotencyKey) index lets one through.
    if (isUniqueViolation(error)) {
      const raced = await findReplay({ userId, articleId, input });
      if (raced) return { annotation: raced, created: false };
    }
    throw error;
  }
}
