import "server-only";
import { db } from "@/lib/db";
import { emptyAsNull, splitPackedLines } from "@/lib/server/db/packed-lines";
import { Prisma } from "@/lib/generated/prisma/client";
import type { ExportAnnotation, ExportArticle, ExportEntity, ExportLayer } from "@/lib/export/model";

export const exportBatchSize = 200;

/*
 * A few flat queries per batch of articles: the current versions; the annotations, aggregated by the database into
 * a few text values per version (thousands of rows through the driver adapter with relation selects took seconds
 * per batch; values built by the database a fraction of that, see lib/server/review/live-annotations.ts); the type
 * and polarity names; then the entities and the annotators they name. Entities and annotators are shared objects
 * within a batch. On the embedded database building those values is most of the export's database time, so they
 * hold only what is needed, in forms cheap to render: no enum output, timestamps as PostgreSQL writes them in JSON.
 */

interface VersionRow {
  articleId: string;
  id: string;
  version: number;
  title: string;
  text: string;
  textSha256: string;
  source: string | null;
}

/**
 * One annotation: id, is gold, user id, is stance, start, end, quote, entity type name, entity id, holder id,
 * target id, polarity name, derived-from ids, created at, updated at (null when the same as created at).
 */
type AnnotationRow = [string, boolean, string | null, boolean, number, number, string, string | null, string | null, string | null, string | null, string | null, string[], string, string | null];

const pgTimestamp = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,3})?$/;

/**
 * A `timestamp(3)` column holding UTC as PostgreSQL writes it in JSON ("2026-01-02T03:04:05.6", trailing zeros of
 * the fraction dropped) → Date#toISOString ("2026-01-02T03:04:05.600Z").
 */
export function isoFromPgTimestamp(value: string): string {
  if (!pgTimestamp.test(value)) return new Date(`${value}Z`).toISOString();
  if (value.length === 19) return `${value}.000Z`;
  return `${value.padEnd(23, "0")}Z`;
}

function layerCondition(layer: ExportLayer): Prisma.Sql {
  if (layer.kind === "gold") return Prisma.sql`a."layer" = 'gold'`;
  if (layer.kind === "user") return Prisma.sql`a."layer" = 'user' AND a."userId" = ${layer.user.id}`;
  return Prisma.sql`TRUE`;
}

/** The derived-from list of annotations without one (most): one shared array, never changed. */
const noIds: string[] = [];

function typesCondition(types: string[] | null): Prisma.Sql {
  if (types === null) return Prisma.sql`TRUE`;
  return Prisma.sql`(a."kind" = 'stance' OR a."entityTypeId" IN (SELECT "id" FROM "EntityType" WHERE "name" = ANY(${types}::text[])))`;
}

/**
 * The live annotations of the versions in `layer`, by version, each list by start, end, id. Ids and numbers travel
 * as one line of text per annotation (`id,userId,kind,start,end,typeId,entityId,holderId,targetId,polarityId`): on
 * the embedded database that is about a third cheaper to build than JSON. Quotes, derived-from ids and times come as
 * JSON; type and polarity names from their own query. Ids never hold a comma or a line break (they are cuids); if
 * one ever did, the lines would not parse and the batch is read again as JSON rows.
 */
async function loadAnnotationRows(versionIds: string[], layer: ExportLayer, types: string[] | null): Promise<Map<string, AnnotationRow[]>> {
  const packed = await db.$queryRaw<{ versionId: string; lines: string; quotes: string; derivedFromIds: string; createdAt: string; updatedAt: string }[]>`
    SELECT a."articleVersionId" AS "versionId",
      string_agg(concat_ws(',', a."id", coalesce(a."userId", ''), CASE WHEN a."kind" = 'stance' THEN 's' ELSE 'e' END, a."start", a."end",
        coalesce(a."entityTypeId", ''), coalesce(a."entityId", ''), coalesce(a."holderEntityId", ''), coalesce(a."targetEntityId", ''),
        coalesce(a."polarityId", '')), E'\n' ORDER BY a."start", a."end", a."id") AS "lines",
      json_agg(a."quote" ORDER BY a."start", a."end", a."id")::text AS "quotes",
      json_agg(NULLIF(a."derivedFromIds", '{}') ORDER BY a."start", a."end", a."id")::text AS "derivedFromIds",
      json_agg(a."createdAt" ORDER BY a."start", a."end", a."id")::text AS "createdAt",
      json_agg(NULLIF(a."updatedAt", a."createdAt") ORDER BY a."start", a."end", a."id")::text AS "updatedAt"
    FROM "Annotation" a
    WHERE a."articleVersionId" = ANY(${versionIds}::text[]) AND a."deletedAt" IS NULL AND ${layerCondition(layer)} AND ${typesCondition(types)}
    GROUP BY a."articleVersionId"`;
  const parsed: { versionId: string; fields: string[][]; quotes: string[]; derivedFromIds: (string[] | null)[]; createdAt: string[]; updatedAt: (string | null)[] }[] = [];
  const labelIds = new Set<string>();
  for (const row of packed) {
    const quotes = JSON.parse(row.quotes) as string[];
    const fields = splitPackedLines(row.lines, 10, quotes.length);
    if (!fields) return loadAnnotationRowsAsJson(versionIds, layer, types);
    for (const line of fields) {
      if (line[5]) labelIds.add(line[5]);
      if (line[9]) labelIds.add(line[9]);
    }
    parsed.push({
      versionId: row.versionId,
      fields,
      quotes,
      derivedFromIds: JSON.parse(row.derivedFromIds) as (string[] | null)[],
      createdAt: JSON.parse(row.createdAt) as string[],
      updatedAt: JSON.parse(row.updatedAt) as (string | null)[],
    });
  }
  const labels = labelIds.size
    ? await db.$queryRaw<{ id: string; name: string }[]>`
        SELECT "id", "name" FROM "EntityType" WHERE "id" = ANY(${[...labelIds]}::text[])
        UNION ALL SELECT "id", "name" FROM "StancePolarity" WHERE "id" = ANY(${[...labelIds]}::text[])`
    : [];
  const nameOf = new Map(labels.map((label) => [label.id, label.name]));
  return new Map(
    parsed.map(({ versionId, fields, quotes, derivedFromIds, createdAt, updatedAt }) => [
      versionId,
      fields.map(([id, userId, kind, start, end, typeId, entityId, holderId, targetId, polarityId], i): AnnotationRow => [
        id!,
        userId === "",
        emptyAsNull(userId!),
        kind === "s",
        Number(start),
        Number(end),
        quotes[i]!,
        typeId ? (nameOf.get(typeId) ?? null) : null,
        emptyAsNull(entityId!),
        emptyAsNull(holderId!),
        emptyAsNull(targetId!),
        polarityId ? (nameOf.get(polarityId) ?? null) : null,
        derivedFromIds[i] ?? noIds,
        createdAt[i]!,
        updatedAt[i]!,
      ]),
    ]),
  );
}

/** loadAnnotationRows as JSON rows, whatever the ids hold. */
async function loadAnnotationRowsAsJson(versionIds: string[], layer: ExportLayer, types: string[] | null): Promise<Map<string, AnnotationRow[]>> {
  const rows = await db.$queryRaw<{ versionId: string; annotations: string }[]>`
    SELECT a."articleVersionId" AS "versionId", json_agg(json_build_array(
      a."id", a."layer" = 'gold', a."userId", a."kind" = 'stance', a."start", a."end", a."quote", t."name",
      a."entityId", a."holderEntityId", a."targetEntityId", p."name", a."derivedFromIds", a."createdAt",
      NULLIF(a."updatedAt", a."createdAt")
    ) ORDER BY a."start", a."end", a."id")::text AS "annotations"
    FROM "Annotation" a
    LEFT JOIN "EntityType" t ON t."id" = a."entityTypeId"
    LEFT JOIN "StancePolarity" p ON p."id" = a."polarityId"
    WHERE a."articleVersionId" = ANY(${versionIds}::text[]) AND a."deletedAt" IS NULL AND ${layerCondition(layer)} AND ${typesCondition(types)}
    GROUP BY a."articleVersionId"`;
  return new Map(rows.map((row) => [row.versionId, JSON.parse(row.annotations) as AnnotationRow[]]));
}

/** The entities named by the annotations (mentions, stance holders and targets), by id. */
async function loadEntities(ids: string[]): Promise<Map<string, ExportEntity>> {
  if (!ids.length) return new Map();
  const rows = await db.$queryRaw<ExportEntity[]>`
    SELECT e."id", e."name", t."name" AS "type", e."aliases"
    FROM "Entity" e JOIN "EntityType" t ON t."id" = e."entityTypeId"
    WHERE e."id" = ANY(${ids}::text[])`;
  return new Map(rows.map((row) => [row.id, { id: row.id, name: row.name, type: row.type, aliases: row.aliases ?? [] }]));
}

async function loadBatch(articleIds: string[], layer: ExportLayer, types: string[] | null): Promise<ExportArticle[]> {
  const versions = await db.$queryRaw<VersionRow[]>`
    SELECT a."id" AS "articleId", v."id", v."version", v."title", v."text", v."textSha256", v."source"
    FROM "Article" a JOIN "ArticleVersion" v ON v."articleId" = a."id" AND v."version" = a."currentVersion"
    WHERE a."id" = ANY(${articleIds}::text[])
    ORDER BY a."position"`;
  if (!versions.length) return [];
  const rowsByVersion = await loadAnnotationRows(
    versions.map((version) => version.id),
    layer,
    types,
  );
  const entityIds = new Set<string>();
  const userIds = new Set<string>();
  for (const rows of rowsByVersion.values()) {
    for (const row of rows) {
      if (row[2] !== null) userIds.add(row[2]);
      for (const id of [row[8], row[9], row[10]]) if (id !== null) entityIds.add(id);
    }
  }
  const [entities, users] = await Promise.all([
    loadEntities([...entityIds]),
    userIds.size ? db.user.findMany({ where: { id: { in: [...userIds] } }, select: { id: true, name: true } }) : [],
  ]);
  const userOf = new Map(users.map((user) => [user.id, user]));
  const refOf = new Map<string, { id: string; name: string }>();
  const ref = (id: string | null) => {
    const entity = id === null ? undefined : entities.get(id);
    if (!entity) return null;
    let known = refOf.get(entity.id);
    if (!known) refOf.set(entity.id, (known = { id: entity.id, name: entity.name }));
    return known;
  };
  const isoOf = new Map<string, string>();
  /** Annotations written together share their times: each distinct one is converted once. */
  const iso = (value: string) => {
    let converted = isoOf.get(value);
    if (converted === undefined) isoOf.set(value, (converted = isoFromPgTimestamp(value)));
    return converted;
  };
  const toAnnotation = ([id, isGold, userId, isStance, start, end, quote, typeName, entityId, holderId, targetId, polarity, derivedFromIds, createdAt, updatedAt]: AnnotationRow): ExportAnnotation => {
    const holder = isStance ? ref(holderId) : null;
    const target = isStance ? ref(targetId) : null;
    return {
      id,
      layer: isGold ? "gold" : "user",
      annotator: userId === null ? null : (userOf.get(userId) ?? null),
      kind: isStance ? "stance" : "entity",
      start,
      end,
      quote,
      entity: entityId === null ? null : (entities.get(entityId) ?? null),
      entityType: typeName,
      stance: holder && target && polarity !== null ? { holder, target, polarity } : null,
      derivedFromIds,
      createdAt: iso(createdAt),
      updatedAt: updatedAt === null ? iso(createdAt) : iso(updatedAt),
    };
  };
  return versions.map((version) => ({
    id: version.articleId,
    title: version.title,
    source: version.source,
    text: version.text,
    textSha256: version.textSha256,
    version: version.version,
    annotations: (rowsByVersion.get(version.id) ?? []).map(toAnnotation),
  }));
}

/**
 * The chosen articles' current versions with their live annotations in `layer`, `exportBatchSize` articles per
 * query round (the next batch is fetched while the caller writes this one), so memory holds about two batches
 * whatever the project's size. Articles deleted meanwhile are skipped.
 */
export async function* loadExportArticles({ articleIds, layer, types }: { articleIds: string[]; layer: ExportLayer; types: string[] | null }): AsyncGenerator<ExportArticle> {
  const prefetch = (from: number) => {
    if (from >= articleIds.length) return null;
    const batch = loadBatch(articleIds.slice(from, from + exportBatchSize), layer, types);
    batch.catch(() => {}); // a download cancelled meanwhile never awaits it; the error surfaces where it is awaited
    return batch;
  };
  let next = prefetch(0);
  for (let from = 0; next; from += exportBatchSize) {
    const batch: ExportArticle[] = await next;
    next = prefetch(from + exportBatchSize);
    yield* batch;
  }
}
