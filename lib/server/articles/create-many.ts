import "server-only";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/server/audit";
import { requireProjectRole } from "@/lib/server/authz";
import type { ImportedArticleSummary } from "@/lib/validation/article-import";
import { sha256Hex, toCanonicalArticleText, type NewArticle } from "./articles";

/**
 * Stores several articles as version 1 each, in one transaction: all or none. They take the project's next
 * positions in the order given, and each gets its audit record. Throws as toCanonicalArticleText for the first
 * bad text (nothing is stored), and `not_found` for a non-member. Returns one summary per article, in order.
 */
export async function createArticles({
  userId,
  projectId,
  articles,
}: {
  userId: string;
  projectId: string;
  articles: NewArticle[];
}): Promise<ImportedArticleSummary[]> {
  await requireProjectRole({ userId, projectId });
  if (!articles.length) return [];
  const prepared = articles.map((article) => {
    const text = toCanonicalArticleText(article.text);
    return { ...article, text, textSha256: sha256Hex(text), source: article.source ?? null };
  });
  return db.$transaction(
    async (tx) => {
      // Serialise article numbering per project, as createArticle does.
      await tx.$executeRaw`SELECT 1 FROM "Project" WHERE "id" = ${projectId} FOR UPDATE`;
      const last = await tx.article.findFirst({ where: { projectId }, orderBy: { position: "desc" }, select: { position: true } });
      const firstPosition = (last?.position ?? 0) + 1;
      const created = await tx.article.createManyAndReturn({
        data: prepared.map((_article, index) => ({ projectId, position: firstPosition + index, createdById: userId })),
        select: { id: true, position: true },
      });
      const idByPosition = new Map(created.map((row) => [row.position, row.id]));
      const ids = prepared.map((_article, index) => {
        const id = idByPosition.get(firstPosition + index);
        if (!id) throw new Error(`createManyAndReturn did not return position ${firstPosition + index}`);
        return id;
      });
      await tx.articleVersion.createMany({
        data: prepared.map((article, index) => ({
          articleId: ids[index]!,
          version: 1,
          title: article.title,
          text: article.text,
          textSha256: article.textSha256,
          source: article.source,
          originalFileName: article.originalFileName ?? null,
          originalFileType: article.originalFileType ?? null,
          createdById: userId,
        })),
      });
      for (const [index, article] of prepared.entries()) {
        await recordAudit(tx, {
          actorId: userId,
          projectId,
          action: "article.create",
          objectType: "article",
          objectId: ids[index]!,
          after: { title: article.title, textSha256: article.textSha256, length: article.text.length },
        });
      }
      return prepared.map((article, index) => ({
        id: ids[index]!,
        title: article.title,
        version: 1,
        source: article.source,
        originalFileName: article.originalFileName ?? null,
      }));
    },
    // A .jsonl file may hold up to a thousand articles; Prisma's default of 5 s is for single writes.
    { timeout: 60_000, maxWait: 30_000 },
  );
}
