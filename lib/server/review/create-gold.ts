import "server-only";
import { db, type DbTransaction } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { GoldAnnotationJson } from "@/lib/review/types";
import { auditJson } from "@/lib/server/annotations/serialize";
import { recordAudit } from "@/lib/server/audit";
import { requireArticleRole } from "@/lib/server/authz";
import type { GoldRequest } from "@/lib/validation/review";
import { assertNotYetInGold } from "./gold-conflicts";
import { draftFromAnnotation, draftFromBody } from "./gold-drafts";
import { lockArticleForReview } from "./locked-article";
import { readGoldAnnotation } from "./read-gold";
import { markArticleInReview } from "./review-status";

/** An earlier gold write with the same idempotency key, or null; `conflict` if the key was used for something else. */
async function findGoldReplay(tx: DbTransaction, { userId, articleId, idempotencyKey }: { userId: string; articleId: string; idempotencyKey: string | undefined }) {
  if (idempotencyKey === undefined) return null;
  const existing = await tx.annotation.findUnique({
    where: { createdById_idempotencyKey: { createdById: userId, idempotencyKey } },
    select: { id: true, articleId: true, layer: true },
  });
  if (!existing) return null;
  if (existing.articleId !== articleId || existing.layer !== "gold") {
    throw new AppError("conflict", "This idempotencyKey was already used for another annotation. Use a new key for each new gold item.", { annotationId: existing.id });
  }
  return readGoldAnnotation(tx, existing.id);
}

/**
 * Puts an annotation into the article's gold layer (reviewers and owners): a copy of an annotator's annotation
 * (`{annotationId}`), or a gold item from a full annotation body. The reviewer is its author; the article moves
 * from NEEDS_REVIEW to IN_REVIEW. A repeated idempotencyKey returns the first item with `created: false`.
 * Throws `conflict` when the group is already settled in gold (see assertNotYetInGold), `not_found` and
 * `validation_failed` for a bad source (see gold-drafts.ts).
 */
export async function createGoldAnnotation({ userId, articleId, input }: { userId: string; articleId: string; input: GoldRequest }): Promise<{
  annotation: GoldAnnotationJson;
  created: boolean;
}> {
  const { projectId } = await requireArticleRole({ userId, articleId, minimumRole: "reviewer" });
  return db.$transaction(async (tx) => {
    const { current } = await lockArticleForReview(tx, articleId);
    const replay = await findGoldReplay(tx, { userId, articleId, idempotencyKey: input.idempotencyKey });
    if (replay) return { annotation: replay, created: false };
    const draft =
      "annotationId" in input
        ? await draftFromAnnotation(tx, { articleId, current, annotationId: input.annotationId })
        : await draftFromBody(tx, { userId, projectId, articleId, current, input });
    await assertNotYetInGold(tx, { articleVersionId: current.id, draft });
    const row = await tx.annotation.create({
      data: {
        projectId,
        articleId,
        articleVersionId: current.id,
        layer: "gold",
        userId: null,
        ...draft,
        idempotencyKey: input.idempotencyKey ?? null,
        createdById: userId,
        updatedById: userId,
      },
      select: { id: true },
    });
    const annotation = await readGoldAnnotation(tx, row.id);
    await recordAudit(tx, { actorId: userId, projectId, action: "annotation.create", objectType: "annotation", objectId: row.id, after: auditJson(annotation) });
    await markArticleInReview(tx, { actorId: userId, projectId, articleId });
    return { annotation, created: true };
  });
}
