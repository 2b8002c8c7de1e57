import "server-only";
import type { DbTransaction } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { getCurrentArticleVersion } from "@/lib/server/annotations/current-text";

/**
 * Locks the article row for the rest of the transaction and reads its current version. Every write of the review
 * (gold items, notes, decisions, status) takes this lock first, so two reviewers settling the same group one
 * moment apart are serialised and the second sees the first's gold. FOR NO KEY UPDATE leaves annotators free
 * to write annotations meanwhile (their foreign-key checks take FOR KEY SHARE).
 */
export async function lockArticleForReview(tx: DbTransaction, articleId: string) {
  const locked = await tx.$queryRaw<{ projectId: string }[]>`
    SELECT "projectId" FROM "Article" WHERE "id" = ${articleId} FOR NO KEY UPDATE`;
  if (locked.length === 0) throw new AppError("not_found", "No such article, or you are not a member of its project.");
  const current = await getCurrentArticleVersion(tx, articleId);
  return { projectId: locked[0]!.projectId, current };
}
