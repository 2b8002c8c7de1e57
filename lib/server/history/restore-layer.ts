import "server-only";
import { randomUUID } from "node:crypto";
import { db, type DbTransaction } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { readAnnotation } from "@/lib/server/annotations/read-annotation";
import { auditJson, serializeAnnotation, type AnnotationJson } from "@/lib/server/annotations/serialize";
import { requireArticleRole } from "@/lib/server/authz";
import { canRestoreLayer } from "./access";
import type { RestoreLayerInput } from "./schema";

export interface RestoreLayerResult {
  restored: number;
  /** The restored annotations, by id. */
  annotationIds: string[];
  /** Shared by this restore's audit events (each annotation's `annotation.restore` and the article's `layer.restore`); null when nothing was restored. */
  batchId: string | null;
}

/**
 * Restores every deleted annotation of `annotatorId`'s layer on the article (with `deletedSince`, only those
 * deleted at or after that time), in one transaction: all of them or none. Allowed for the annotator themself
 * and the project's reviewers and owners. Each restored annotation gets an `annotation.restore` audit event
 * (its `after` carries the shared `batchId`), and the article one `layer.restore` event listing them. Spans are
 * not checked against the others: overlaps are allowed. Restoring again restores nothing (`restored: 0`).
 * Throws `not_found` (not a member), `forbidden` (an annotator naming another's layer) and `validation_failed`
 * (an annotatorId who neither belongs to the project nor has annotations on the article).
 */
export async function restoreLayer({ userId, articleId, input }: { userId: string; articleId: string; input: RestoreLayerInput }): Promise<RestoreLayerResult> {
  const { projectId, role } = await requireArticleRole({ userId, articleId });
  const { annotatorId } = input;
  if (!canRestoreLayer(role, userId, annotatorId)) {
    throw new AppError("forbidden", "Only the annotator themself and the project's reviewers and owners may restore an annotator's layer.");
  }
  const since = input.deletedSince ? new Date(input.deletedSince) : null;
  return db.$transaction(async (tx) => {
    // Locked in id order, so a concurrent delete or restore of one of them waits (and cannot deadlock with us).
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT "id" FROM "Annotation"
      WHERE "articleId" = ${articleId} AND "layer" = 'user' AND "userId" = ${annotatorId} AND "deletedAt" IS NOT NULL
      ORDER BY "id" FOR UPDATE`;
    const before: AnnotationJson[] = [];
    for (const { id } of locked) {
      const row = await readAnnotation(tx, id);
      if (row.deletedAt && (!since || row.deletedAt >= since)) before.push(serializeAnnotation(row));
    }
    if (before.length === 0) {
      await assertKnownAnnotator(tx, { projectId, articleId, annotatorId });
      return { restored: 0, annotationIds: [], batchId: null };
    }
    const annotationIds = before.map((annotation) => annotation.id);
    const now = new Date();
    await tx.annotation.updateMany({
      where: { id: { in: annotationIds } },
      data: { deletedAt: null, version: { increment: 1 }, updatedById: userId, updatedAt: now },
    });
    const batchId = randomUUID();
    await tx.auditEvent.createMany({
      data: [
        ...before.map((annotation) => ({
          actorId: userId,
          projectId,
          action: "annotation.restore",
          objectType: "annotation",
          objectId: annotation.id,
          before: auditJson(annotation),
          // Exactly what the update above wrote; re-reading each row would cost a query per annotation.
          after: { ...auditJson({ ...annotation, deletedAt: null, version: annotation.version + 1, updatedAt: now.toISOString() }), batchId },
        })),
        {
          actorId: userId,
          projectId,
          action: "layer.restore",
          objectType: "article",
          objectId: articleId,
          after: { annotatorId, deletedSince: since?.toISOString() ?? null, batchId, restored: annotationIds.length, annotationIds },
        },
      ],
    });
    return { restored: annotationIds.length, annotationIds, batchId };
  });
}

/** Nothing to restore: fine for a known annotator, but a mistyped annotatorId should not look like success. */
async function assertKnownAnnotator(tx: DbTransaction, { projectId, articleId, annotatorId }: { projectId: string; articleId: string; annotatorId: string }) {
  // One after the other: concurrent queries on a transaction's one connection queue up in pg (see read-annotation.ts).
  const member = await tx.membership.findUnique({ where: { projectId_userId: { projectId, userId: annotatorId } }, select: { id: true } });
  const annotation = member ? null : await tx.annotation.findFirst({ where: { articleId, layer: "user", userId: annotatorId }, select: { id: true } });
  if (!member && !annotation) {
    throw new AppError("validation_failed", `annotatorId: ${JSON.stringify(annotatorId)} is not an annotator of this project.`, { field: "annotatorId" });
  }
}
