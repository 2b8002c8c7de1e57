import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { emptyAsNull, splitPackedLines } from "@/lib/server/db/packed-lines";
import { packColumns, type AnnotationColumns, type PackedAnnotations } from "@/lib/reader/packed-annotations";

/** The caller's live annotations on one version: which rows, and the order every aggregate takes them in. */
function mineSql({ userId, articleId, version }: { userId: string; articleId: string; version: number }) {
  const rows = Prisma.sql`
    SELECT a."id", a."kind", a."start", a."end", a."version", a."createdAt", COALESCE(t."name", p."name") AS "label",
           a."entityId", a."holderEntityId", a."targetEntityId", a."note"
    FROM "Annotation" a
    JOIN "ArticleVersion" v ON v."id" = a."articleVersionId"
    LEFT JOIN "EntityType" t ON t."id" = a."entityTypeId"
    LEFT JOIN "StancePolarity" p ON p."id" = a."polarityId"
    WHERE a."articleId" = ${articleId} AND v."version" = ${version}
      AND a."layer" = 'user' AND a."userId" = ${userId} AND a."deletedAt" IS NULL`;
  return { rows, inOrder: Prisma.sql`ORDER BY mine."start", mine."end", mine."createdAt", mine."id"` };
}

/**
 * Ids and numbers as one line of text per annotation (`id,kind,start,end,version,entityId,holderId,targetId`),
 * labels and notes as JSON: a third of the time of a JSON array per column (see lib/server/review/live-annotations.ts).
 * Ids never hold a comma or a line break (they are cuids); if one ever did, the JSON form is read.
 */
async function loadColumns(mine: ReturnType<typeof mineSql>): Promise<AnnotationColumns> {
  const { rows, inOrder } = mine;
  const [packed] = await db.$queryRaw<{ lines: string | null; labels: string | null; notes: string | null }[]>`
    SELECT string_agg(concat_ws(',', mine."id", CASE WHEN mine."kind" = 'stance' THEN 's' ELSE 'e' END, mine."start", mine."end", mine."version",
             coalesce(mine."entityId", ''), coalesce(mine."holderEntityId", ''), coalesce(mine."targetEntityId", '')), E'\n' ${inOrder}) AS "lines",
           json_agg(mine."label" ${inOrder})::text AS "labels",
           json_agg(mine."note" ${inOrder})::text AS "notes"
    FROM (${rows}) mine`;
  const notes = packed?.notes ? (JSON.parse(packed.notes) as (string | null)[]) : [];
  const fields = splitPackedLines(packed?.lines ?? null, 8, notes.length);
  if (!fields) return loadColumnsAsJson(mine);
  const columns: AnnotationColumns = { id: [], kind: "", start: [], end: [], version: [], label: packed?.labels ? JSON.parse(packed.labels) : [], entityId: [], holderEntityId: [], targetEntityId: [], note: notes };
  const kinds: string[] = [];
  for (const [id, kind, start, end, version, entityId, holderId, targetId] of fields as [string, ...string[]][]) {
    columns.id.push(id);
    kinds.push(kind!);
    columns.start.push(Number(start));
    columns.end.push(Number(end));
    columns.version.push(Number(version));
    columns.entityId.push(emptyAsNull(entityId!));
    columns.holderEntityId.push(emptyAsNull(holderId!));
    columns.targetEntityId.push(emptyAsNull(targetId!));
  }
  columns.kind = kinds.join("");
  return columns;
}

/** The same columns as JSON arrays built by the database (the general form; see loadColumns). */
async function loadColumnsAsJson({ rows, inOrder }: ReturnType<typeof mineSql>): Promise<AnnotationColumns> {
  const [row] = await db.$queryRaw<{ columns: string }[]>`
    SELECT json_build_object(
      'id', COALESCE(json_agg(mine."id" ${inOrder}), '[]'),
      'kind', COALESCE(string_agg(CASE WHEN mine."kind" = 'stance' THEN 's' ELSE 'e' END, '' ${inOrder}), ''),
      'start', COALESCE(json_agg(mine."start" ${inOrder}), '[]'),
      'end', COALESCE(json_agg(mine."end" ${inOrder}), '[]'),
      'version', COALESCE(json_agg(mine."version" ${inOrder}), '[]'),
      'label', COALESCE(json_agg(mine."label" ${inOrder}), '[]'),
      'entityId', COALESCE(json_agg(mine."entityId" ${inOrder}), '[]'),
      'holderEntityId', COALESCE(json_agg(mine."holderEntityId" ${inOrder}), '[]'),
      'targetEntityId', COALESCE(json_agg(mine."targetEntityId" ${inOrder}), '[]'),
      'note', COALESCE(json_agg(mine."note" ${inOrder}), '[]')
    )::text AS "columns"
    FROM (${rows}) mine`;
  return JSON.parse(row!.columns) as AnnotationColumns;
}

/**
 * The caller's own live annotations on the article's current version, packed for the reader page, read as columns
 * (10,000 annotations as rows through the driver adapter take ten times as long). The caller has checked that they
 * are a member (the page loaded the article for them).
 */
export async function loadMyReaderLayer({ userId, articleId }: { userId: string; articleId: string }): Promise<PackedAnnotations> {
  const [article, user] = await Promise.all([
    db.article.findUniqueOrThrow({ where: { id: articleId }, select: { currentVersion: true } }),
    db.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, name: true } }),
  ]);
  const columns = await loadColumns(mineSql({ userId, articleId, version: article.currentVersion }));
  return packColumns({ articleId, articleVersion: article.currentVersion, layer: "user", annotator: user }, columns);
}
