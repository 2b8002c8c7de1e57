import "server-only";
import type { DbTransaction } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { emptyAsNull, splitPackedLines } from "@/lib/server/db/packed-lines";
import type { GoldAnnotationJson } from "@/lib/review/types";
import { serializeAnnotation, type AnnotationJson } from "@/lib/server/annotations/serialize";

/*
 * Reads every live annotation of an article version as JSON with six flat queries one after another, whatever
 * their number: safe inside a transaction (see read-annotation.ts on relation selects there) and quick for
 * thousands of annotations.
 */

/** The live annotations' columns, one array per field, in order. Times are epoch milliseconds. */
interface LiveAnnotationColumns {
  id: string[];
  articleId: string[];
  layer: ("user" | "gold")[];
  userId: (string | null)[];
  kind: ("entity" | "stance")[];
  start: number[];
  end: number[];
  entityTypeId: (string | null)[];
  entityId: (string | null)[];
  holderEntityId: (string | null)[];
  targetEntityId: (string | null)[];
  polarityId: (string | null)[];
  derivedFromIds: string[][];
  note: (string | null)[];
  version: number[];
  createdAt: number[];
  updatedAt: number[];
}

/** Which live annotations: those of a version, or only `ids` among them. */
interface LiveSelection {
  articleVersionId: string;
  ids?: string[];
}

function liveRows({ articleVersionId, ids }: LiveSelection): Prisma.Sql {
  return Prisma.sql`
    SELECT a.* FROM "Annotation" a
    WHERE a."articleVersionId" = ${articleVersionId} AND a."deletedAt" IS NULL
      AND (${ids === undefined} OR a."id" = ANY(${ids ?? []}::text[]))`;
}

/** Every aggregate takes the rows in this order (a total one), so their values line up. */
const inOrder = Prisma.sql`ORDER BY live."start", live."end", live."createdAt", live."id"`;

/**
 * The columns from one line of text per annotation (`id,layer,userId,kind,start,end,typeId,entityId,holderId,
 * targetId,polarityId,version,createdAt,updatedAt`, times in epoch ms), notes and derived-from ids as JSON: for
 * 30,000 annotations a third of the time of a JSON array per column (17 json_agg, each about as costly as the
 * lines). Ids never hold a comma or a line break (they are cuids); if one ever did, the lines would not split
 * evenly and the JSON form is read.
 */
async function loadColumns(client: DbTransaction, selection: LiveSelection): Promise<LiveAnnotationColumns> {
  const [packed] = await client.$queryRaw<{ articleId: string | null; lines: string | null; notes: string | null; derivedFromIds: string | null }[]>`
    SELECT min(live."articleId") AS "articleId",
      string_agg(concat_ws(',', live."id", CASE WHEN live."layer" = 'gold' THEN 'g' ELSE 'u' END, coalesce(live."userId", ''),
        CASE WHEN live."kind" = 'stance' THEN 's' ELSE 'e' END, live."start", live."end", coalesce(live."entityTypeId", ''),
        coalesce(live."entityId", ''), coalesce(live."holderEntityId", ''), coalesce(live."targetEntityId", ''), coalesce(live."polarityId", ''),
        live."version", floor(extract(epoch FROM live."createdAt") * 1000), floor(extract(epoch FROM live."updatedAt") * 1000)), E'\n' ${inOrder}) AS "lines",
      json_agg(live."note" ${inOrder})::text AS "notes",
      json_agg(live."derivedFromIds" ${inOrder})::text AS "derivedFromIds"
    FROM (${liveRows(selection)}) live`;
  const notes = packed?.notes ? (JSON.parse(packed.notes) as (string | null)[]) : [];
  const rows = splitPackedLines(packed?.lines ?? null, 14, notes.length);
  if (!rows) return loadColumnsAsJson(client, selection);
  const columns: LiveAnnotationColumns = {
    id: [], articleId: [], layer: [], userId: [], kind: [], start: [], end: [], entityTypeId: [], entityId: [], holderEntityId: [],
    targetEntityId: [], polarityId: [], derivedFromIds: packed?.derivedFromIds ? (JSON.parse(packed.derivedFromIds) as string[][]) : [], note: notes, version: [], createdAt: [], updatedAt: [],
  };
  for (const [id, layer, userId, kind, start, end, typeId, entityId, holderId, targetId, polarityId, version, createdAt, updatedAt] of rows as [string, ...string[]][]) {
    columns.id.push(id);
    columns.articleId.push(packed!.articleId!);
    columns.layer.push(layer === "g" ? "gold" : "user");
    columns.userId.push(emptyAsNull(userId!));
    columns.kind.push(kind === "s" ? "stance" : "entity");
    columns.start.push(Number(start));
    columns.end.push(Number(end));
    columns.entityTypeId.push(emptyAsNull(typeId!));
    columns.entityId.push(emptyAsNull(entityId!));
    columns.holderEntityId.push(emptyAsNull(holderId!));
    columns.targetEntityId.push(emptyAsNull(targetId!));
    columns.polarityId.push(emptyAsNull(polarityId!));
    columns.version.push(Number(version));
    columns.createdAt.push(Number(createdAt));
    columns.updatedAt.push(Number(updatedAt));
  }
  return columns;
}

/** The same columns as JSON arrays built by the database (the general form; see loadColumns). */
async function loadColumnsAsJson(client: DbTransaction, selection: LiveSelection): Promise<LiveAnnotationColumns> {
  const [result] = await client.$queryRaw<{ columns: string }[]>`
    SELECT json_build_object(
      'id', COALESCE(json_agg(live."id" ${inOrder}), '[]'),
      'articleId', COALESCE(json_agg(live."articleId" ${inOrder}), '[]'),
      'layer', COALESCE(json_agg(live."layer" ${inOrder}), '[]'),
      'userId', COALESCE(json_agg(live."userId" ${inOrder}), '[]'),
      'kind', COALESCE(json_agg(live."kind" ${inOrder}), '[]'),
      'start', COALESCE(json_agg(live."start" ${inOrder}), '[]'),
      'end', COALESCE(json_agg(live."end" ${inOrder}), '[]'),
      'entityTypeId', COALESCE(json_agg(live."entityTypeId" ${inOrder}), '[]'),
      'entityId', COALESCE(json_agg(live."entityId" ${inOrder}), '[]'),
      'holderEntityId', COALESCE(json_agg(live."holderEntityId" ${inOrder}), '[]'),
      'targetEntityId', COALESCE(json_agg(live."targetEntityId" ${inOrder}), '[]'),
      'polarityId', COALESCE(json_agg(live."polarityId" ${inOrder}), '[]'),
      'derivedFromIds', COALESCE(json_agg(live."derivedFromIds" ${inOrder}), '[]'),
      'note', COALESCE(json_agg(live."note" ${inOrder}), '[]'),
      'version', COALESCE(json_agg(live."version" ${inOrder}), '[]'),
      'createdAt', COALESCE(json_agg(floor(extract(epoch FROM live."createdAt") * 1000) ${inOrder}), '[]'),
      'updatedAt', COALESCE(json_agg(floor(extract(epoch FROM live."updatedAt") * 1000) ${inOrder}), '[]')
    )::text AS "columns"
    FROM (${liveRows(selection)}) live`;
  return JSON.parse(result!.columns) as LiveAnnotationColumns;
}

function distinct(values: (string | null)[]): string[] {
  return [...new Set(values.filter((value): value is string => value !== null))];
}

export interface LiveAnnotations {
  /** Every annotator's live annotations (user layers), by start, end, creation. */
  annotations: AnnotationJson[];
  /** The live gold layer, by start, end, creation. */
  gold: GoldAnnotationJson[];
}

/** The live annotations of one version of an article, `ids` narrowing them to those annotations. */
export async function loadLiveAnnotations(
  client: DbTransaction,
  { projectId, articleVersion, ids }: { projectId: string; articleVersion: { id: string; version: number; text: string }; ids?: string[] },
): Promise<LiveAnnotations> {
  const columns = await loadColumns(client, { articleVersionId: articleVersion.id, ids });
  const entityIds = distinct([...columns.entityId, ...columns.holderEntityId, ...columns.targetEntityId]);
  const userIds = distinct(columns.userId);
  const types = await client.entityType.findMany({ where: { projectId }, select: { id: true, name: true } });
  const polarities = await client.stancePolarity.findMany({ where: { projectId }, select: { id: true, name: true } });
  const entities = entityIds.length ? await client.entity.findMany({ where: { id: { in: entityIds } }, select: { id: true, name: true, aliases: true, entityTypeId: true } }) : [];
  const users = userIds.length ? await client.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }) : [];

  const typeById = new Map(types.map((type) => [type.id, { name: type.name }]));
  const polarityById = new Map(polarities.map((polarity) => [polarity.id, { name: polarity.name }]));
  const userById = new Map(users.map((user) => [user.id, user]));
  const entityById = new Map(entities.map((entity) => [entity.id, { ...entity, entityType: typeById.get(entity.entityTypeId) ?? { name: "" } }]));
  const refOf = (id: string | null) => {
    const entity = id === null ? undefined : entityById.get(id);
    return entity ? { id: entity.id, name: entity.name, entityType: entity.entityType } : null;
  };

  const result: LiveAnnotations = { annotations: [], gold: [] };
  const articleVersionRef = { version: articleVersion.version };
  // One object literal per annotation, every field named: objects made by rest destructuring are slow to read.
  for (let index = 0; index < columns.id.length; index++) {
    const start = columns.start[index]!;
    const end = columns.end[index]!;
    const userId = columns.userId[index]!;
    const entityTypeId = columns.entityTypeId[index]!;
    const entityId = columns.entityId[index]!;
    const holderEntityId = columns.holderEntityId[index]!;
    const targetEntityId = columns.targetEntityId[index]!;
    const polarityId = columns.polarityId[index]!;
    const json = serializeAnnotation({
      id: columns.id[index]!,
      articleId: columns.articleId[index]!,
      layer: columns.layer[index]!,
      userId,
      kind: columns.kind[index]!,
      start,
      end,
      // The quote equals the text there by construction; the text is in hand.
      quote: articleVersion.text.slice(start, end),
      entityId,
      holderEntityId,
      targetEntityId,
      note: columns.note[index]!,
      version: columns.version[index]!,
      createdAt: new Date(columns.createdAt[index]!),
      updatedAt: new Date(columns.updatedAt[index]!),
      deletedAt: null,
      articleVersion: articleVersionRef,
      user: userId ? (userById.get(userId) ?? null) : null,
      entityType: entityTypeId ? (typeById.get(entityTypeId) ?? null) : null,
      entity: entityId ? (entityById.get(entityId) ?? null) : null,
      holderEntity: refOf(holderEntityId),
      targetEntity: refOf(targetEntityId),
      polarity: polarityId ? (polarityById.get(polarityId) ?? null) : null,
    });
    if (json.layer === "gold") result.gold.push({ ...json, derivedFromIds: columns.derivedFromIds[index]! });
    else result.annotations.push(json);
  }
  return result;
}
