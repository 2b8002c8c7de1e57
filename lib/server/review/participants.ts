import "server-only";
import type { DbTransaction } from "@/lib/db";
import type { ReviewAnnotatorJson } from "@/lib/review/types";

/**
 * The annotators taking part in an article: those with live annotations on its current version (`annotatedBy`)
 * and those who marked it FINISHED, with their progress, by name.
 */
export async function loadParticipants(client: DbTransaction, { articleId, annotatedBy }: { articleId: string; annotatedBy: string[] }): Promise<ReviewAnnotatorJson[]> {
  const finished = await client.annotatorArticleStatus.findMany({ where: { articleId, status: "FINISHED" }, select: { userId: true } });
  const ids = [...new Set([...annotatedBy, ...finished.map((row) => row.userId)])];
  if (ids.length === 0) return [];
  const users = await client.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, email: true } });
  const statuses = await client.annotatorArticleStatus.findMany({ where: { articleId, userId: { in: ids } }, select: { userId: true, status: true } });
  const statusByUser = new Map(statuses.map((row) => [row.userId, row.status]));
  return users
    .map((user) => ({ ...user, status: statusByUser.get(user.id) ?? "NEW" }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.email.localeCompare(b.email) || (a.id < b.id ? -1 : 1));
}
