import "server-only";
import { db, type DbTransaction } from "@/lib/db";
import { recordAudit } from "@/lib/server/audit";
import { requireArticleRole } from "@/lib/server/authz";
import type { ReviewStatusName } from "@/lib/validation/review";
import { lockArticleForReview } from "./locked-article";

/*
 * An article's review status: NEEDS_REVIEW until a reviewer writes its first gold item (then IN_REVIEW), REVIEWED
 * when a reviewer says so. Any status may be set by hand.
 */

/** Moves the article from NEEDS_REVIEW to IN_REVIEW inside the caller's gold write; other statuses stay. */
export async function markArticleInReview(tx: DbTransaction, { actorId, projectId, articleId }: { actorId: string; projectId: string; articleId: string }): Promise<void> {
  const changed = await tx.$executeRaw`
    UPDATE "Article" SET "reviewStatus" = 'IN_REVIEW', "updatedAt" = now() WHERE "id" = ${articleId} AND "reviewStatus" = 'NEEDS_REVIEW'`;
  if (changed > 0) {
    await recordAudit(tx, {
      actorId,
      projectId,
      action: "article.review_status",
      objectType: "article",
      objectId: articleId,
      before: { reviewStatus: "NEEDS_REVIEW" },
      after: { reviewStatus: "IN_REVIEW" },
    });
  }
}

/** Sets the article's review status (reviewers and owners), audited when it changes. Returns `{status}`. */
export async function setReviewStatus({ userId, articleId, status }: { userId: string; articleId: string; status: ReviewStatusName }) {
  const { projectId } = await requireArticleRole({ userId, articleId, minimumRole: "reviewer" });
  return db.$transaction(async (tx) => {
    await lockArticleForReview(tx, articleId);
    const { reviewStatus: before } = await tx.article.findUniqueOrThrow({ where: { id: articleId }, select: { reviewStatus: true } });
    if (before !== status) {
      await tx.article.update({ where: { id: articleId }, data: { reviewStatus: status }, select: { id: true } });
      await recordAudit(tx, {
        actorId: userId,
        projectId,
        action: "article.review_status",
        objectType: "article",
        objectId: articleId,
        before: { reviewStatus: before },
        after: { reviewStatus: status },
      });
    }
    return { status };
  });
}
