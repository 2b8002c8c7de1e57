import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { findNameOccurrences } from "@/lib/text/name-occurrences";
import { requireEntityForMember } from "./access";

const maxOccurrences = 2000;
const contextLength = 60;

export interface ArticleOccurrences {
  articleId: string;
  title: string;
  occurrences: { start: number; end: number; quote: string; before: string; after: string }[];
}

/**
 * Where the entity's name or aliases occur untagged in the project's articles (current versions), as whole words,
 * for "tag the other mentions across the project": places overlapping one of the caller's own entity mentions are
 * left out. At most 2,000 places (then `truncated`), each with a little context.
 */
export async function findProjectNameOccurrences({ userId, entityId, exceptArticleId }: { userId: string; entityId: string; exceptArticleId?: string }) {
  const { projectId } = await requireEntityForMember({ userId, entityId });
  const entity = await db.entity.findUniqueOrThrow({ where: { id: entityId }, select: { id: true, name: true, aliases: true } });
  const names = [entity.name, ...entity.aliases].map((name) => name.trim()).filter((name) => name.length > 1);
  if (names.length === 0) return { entity, articles: [], total: 0, truncated: false };
  // Only the articles whose text holds one of the names at all.
  const candidates = await db.$queryRaw<{ articleId: string; title: string; text: string }[]>`
    SELECT a."id" AS "articleId", v."title", v."text"
    FROM "Article" a JOIN "ArticleVersion" v ON v."articleId" = a."id" AND v."version" = a."currentVersion"
    WHERE a."projectId" = ${projectId} AND a."id" <> ${exceptArticleId ?? ""}
      AND (${Prisma.join(names.map((name) => Prisma.sql`strpos(v."text", ${name}) > 0`), " OR ")})
    ORDER BY a."position"`;
  const mine = await db.annotation.findMany({
    where: { articleId: { in: candidates.map((candidate) => candidate.articleId) }, layer: "user", userId, kind: "entity", deletedAt: null },
    select: { articleId: true, start: true, end: true },
  });
  const mineByArticle = new Map<string, { start: number; end: number }[]>();
  for (const annotation of mine) mineByArticle.set(annotation.articleId, [...(mineByArticle.get(annotation.articleId) ?? []), annotation]);
  const articles: ArticleOccurrences[] = [];
  let total = 0;
  let truncated = false;
  for (const candidate of candidates) {
    const found = findNameOccurrences(candidate.text, entity, mineByArticle.get(candidate.articleId) ?? []);
    if (found.length === 0) continue;
    const kept = found.slice(0, maxOccurrences - total);
    truncated ||= kept.length < found.length;
    total += kept.length;
    articles.push({
      articleId: candidate.articleId,
      title: candidate.title,
      occurrences: kept.map((span) => ({
        ...span,
        before: candidate.text.slice(Math.max(0, span.start - contextLength), span.start),
        after: candidate.text.slice(span.end, span.end + contextLength),
      })),
    });
    if (total >= maxOccurrences) break;
  }
  return { entity, articles, total, truncated };
}
