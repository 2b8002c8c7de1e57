import "server-only";
import { db } from "@/lib/db";
import { packAnnotations, type PackableAnnotation, type PackedAnnotations } from "@/lib/reader/packed-annotations";

/**
 * The caller's own live annotations on the article's current version, packed for the reader page: one query,
 * labels joined in SQL. The caller has checked that they are a member (the page loaded the article for them).
 */
export async function loadMyReaderLayer({ userId, articleId }: { userId: string; articleId: string }): Promise<PackedAnnotations> {
  const [article, user] = await Promise.all([
    db.article.findUniqueOrThrow({ where: { id: articleId }, select: { currentVersion: true } }),
    db.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, name: true } }),
  ]);
  const rows = await db.$queryRaw<PackableAnnotation[]>`
    SELECT a."id", a."kind"::text AS "kind", a."start", a."end", a."version",
           COALESCE(t."name", p."name") AS "label", a."entityId", a."holderEntityId", a."targetEntityId", a."note"
    FROM "Annotation" a
    JOIN "ArticleVersion" v ON v."id" = a."articleVersionId"
    LEFT JOIN "EntityType" t ON t."id" = a."entityTypeId"
    LEFT JOIN "StancePolarity" p ON p."id" = a."polarityId"
    WHERE a."articleId" = ${articleId} AND v."version" = ${article.currentVersion}
      AND a."layer" = 'user' AND a."userId" = ${userId} AND a."deletedAt" IS NULL
    ORDER BY a."start", a."end", a."createdAt", a."id"`;
  return packAnnotations({ articleId, articleVersion: article.currentVersion, layer: "user", annotator: user }, rows);
}
