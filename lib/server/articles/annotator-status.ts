import "server-only";
import { db } from "@/lib/db";

/** The caller's own progress on an article (NEW until they start). Call after an access check. */
export async function getMyArticleStatus({ userId, articleId }: { userId: string; articleId: string }) {
  const row = await db.annotatorArticleStatus.findUnique({ where: { articleId_userId: { articleId, userId } }, select: { status: true } });
  return row?.status ?? "NEW";
}
