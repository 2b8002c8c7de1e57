import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { requireArticleRole } from "@/lib/server/authz";
import type { CreateAnnotationInput } from "@/lib/validation/annotation";
import { markInProgress } from "./annotator-status";
import { isUniqueViolation, resolveLabels, userLayerRow, type Labels } from "./create-annotation";
import { assertSpan, getCurrentArticleVersion } from "./current-text";
import { annotationSelect, serializeAnnotation, type AnnotationJson } from "./serialize";

/** What the audit log keeps of each created annotation (the single create keeps its full JSON). */
const auditedFields = {
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
  version: true,
  createdAt: true,
  updatedAt: true,
} as const;

/** Names the item of the batch an error is about, so the caller can fix that one. */
function atItem<T>(index: number, work: () => Promise<T>): Promise<T> {
  return work().catch((error: unknown) => {
    if (error instanceof AppError) throw new AppError(error.code, `annotations[${index}]: ${error.message}`, { ...error.details, index });
    throw error;
  });
}

/** Earlier creates with the batch's idempotency keys: all of them (a retried batch), none, or a `conflict`. */
async function findReplayedBatch({ userId, articleId, inputs }: { userId: string; articleId: string; inputs: CreateAnnotationInput[] }) {
  const keys = inputs.flatMap((input) => (input.idempotencyKey === undefined ? [] : [input.idempotencyKey]));
  if (keys.length === 0) return null;
  if (new Set(keys).size !== keys.length) throw new AppError("validation_failed", "Each annotation of a batch needs its own idempotencyKey.");
  const existing = await db.annotation.findMany({ where: { createdById: userId, idempotencyKey: { in: keys } }, select: annotationSelect });
  if (existing.length === 0) return null;
  if (existing.length === inputs.length && existing.every((row) => row.articleId === articleId)) {
    return existing.map(serializeAnnotation).sort((a, b) => a.start - b.start || b.end - a.end);
  }
  throw new AppError("conflict", `${existing.length} of these idempotency keys were already used for other annotations. Use new keys for new annotations.`, {
    annotationIds: existing.map((row) => row.id),
  });
}

/**
 * Creates up to 1,000 annotations in the caller's layer in one transaction: all of them, or (on the first bad
 * item, named by its index) none. A batch sent again with the same idempotency keys returns the first one's
 * annotations with `created: false`, also when the two arrive at once. The answer is read before the commit, so
 * an error never follows a committed write.
 */
export async function createAnnotations({ userId, articleId, inputs }: { userId: string; articleId: string; inputs: CreateAnnotationInput[] }): Promise<{
  annotations: AnnotationJson[];
  created: boolean;
}> {
  const { projectId } = await requireArticleRole({ userId, articleId });
  const replay = await findReplayedBatch({ userId, articleId, inputs });
  if (replay) return { annotations: replay, created: false };
  try {
    return await insertBatch({ userId, articleId, projectId, inputs });
  } catch (error) {
    // The same batch twice at once (a client's retry racing its first try): the unique (createdById, idempotencyKey)
    // index lets one through; the other waited for it to commit, and answers with its annotations.
    if (isUniqueViolation(error)) {
      const raced = await findReplayedBatch({ userId, articleId, inputs });
      if (raced) return { annotations: raced, created: false };
    }
    throw error;
  }
}

async function insertBatch({ userId, articleId, projectId, inputs }: { userId: string; articleId: string; projectId: string; inputs: CreateAnnotationInput[] }) {
  return db.$transaction(
    async (tx) => {
      const current = await getCurrentArticleVersion(tx, articleId);
      const labelsByRequest = new Map<string, Labels>();
      const rows = [];
      for (const [index, input] of inputs.entries()) {
        assertSpanAt(index, current, input);
        const { start: _start, end: _end, quote: _quote, idempotencyKey: _key, ...labelRequest } = input;
        const cacheKey = JSON.stringify(labelRequest);
        let labels = labelsByRequest.get(cacheKey);
        if (!labels) {
          labels = await atItem(index, () => resolveLabels(tx, { userId, projectId, input }));
          labelsByRequest.set(cacheKey, labels);
        }
        rows.push(userLayerRow({ projectId, articleId, articleVersionId: current.id, userId, input, labels }));
      }
      const created = await tx.annotation.createManyAndReturn({ data: rows, select: auditedFields });
      await tx.auditEvent.createMany({
        data: created.map((row) => ({
          actorId: userId,
          projectId,
          action: "annotation.create",
          objectType: "annotation",
          objectId: row.id,
          after: { ...row, articleVersion: current.version, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() },
        })),
      });
      await markInProgress(tx, { userId, articleId, projectId });
      const annotations = await tx.annotation.findMany({
        where: { id: { in: created.map(({ id }) => id) } },
        select: annotationSelect,
        orderBy: [{ start: "asc" }, { end: "desc" }],
      });
      return { annotations: annotations.map(serializeAnnotation), created: true };
    },
    { timeout: 60_000 },
  );
}

function assertSpanAt(index: number, current: { text: string; version: number }, input: CreateAnnotationInput) {
  try {
    assertSpan(current, input);
  } catch (error) {
    if (error instanceof AppError) throw new AppError(error.code, `annotations[${index}]: ${error.message}`, { ...error.details, index });
    throw error;
  }
}
