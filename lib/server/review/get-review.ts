import "server-only";
import { db } from "@/lib/db";
import type { ArticleReviewJson } from "@/lib/review/types";
import { getCurrentArticleVersion } from "@/lib/server/annotations/current-text";
import { requireArticleRole } from "@/lib/server/authz";
import { loadReviewState } from "./review-state";

/**
 * Everything a reviewer needs to review an article (reviewers and owners; annotators get `forbidden`, outsiders
 * `not_found`): its annotators, the comparison groups of their layers, the gold layer and the review notes, all
 * read from one snapshot.
 */
export async function getArticleReview({ userId, articleId }: { userId: string; articleId: string }): Promise<ArticleReviewJson> {
  const { projectId } = await requireArticleRole({ userId, articleId, minimumRole: "reviewer" });
  return db.$transaction(
    async (tx) => {
      const current = await getCurrentArticleVersion(tx, articleId);
      const article = await tx.article.findUniqueOrThrow({ where: { id: articleId }, select: { reviewStatus: true } });
      const { title } = await tx.articleVersion.findUniqueOrThrow({ where: { id: current.id }, select: { title: true } });
      const state = await loadReviewState(tx, { projectId, articleId, articleVersion: current });
      return { article: { id: articleId, title, version: current.version, reviewStatus: article.reviewStatus }, ...state };
    },
    { isolationLevel: "RepeatableRead" },
  );
}
