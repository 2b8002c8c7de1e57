import "server-only";
import type { DbTransaction } from "@/lib/db";
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

/**
 * The rows as one JSON value of columns built by the database: 30,000 annotations as rows through the driver
 * adapter take seconds, as columns a fraction of that. Times travel as epoch milliseconds.
 */
async function loadColumns(client: DbTransaction, { articleVersionId, ids }: { articleVersionId: string; ids?: string[] }): Promise<LiveAnnotationColumns> {
  const [result] = await client.$queryRaw<{ columns: string }[]>`
    WITH live AS (
      SELECT a.*, row_number() OVER (ORDER BY a."start", a."end", a."createdAt", a."id") AS "position"
      FROM "Annotation" a
      WHERE a."articleVersionId" = ${articleVersionId} AND a."deletedAt" IS NULL
        AND (${ids === undefined} OR a."id" = ANY(${ids ?? []}::text[]))
    )
    SELECT json_build_object(
      'id', COALESCE(json_agg("id" ORDER BY "position"), '[]'),
      'articleId', COALESCE(json_agg("articleId" ORDER BY "position"), '[]'),
      'layer', COALESCE(json_agg("layer" ORDER BY "position"), '[]'),
      'userId', COALESCE(json_agg("userId" ORDER BY "position"), '[]'),
      'kind', COALESCE(json_agg("kind" ORDER BY "position"), '[]'),
      'start', COALESCE(json_agg("start" ORDER BY "position"), '[]'),
      'end', COALESCE(json_agg("end" ORDER BY "position"), '[]'),
      'entityTypeId', COALESCE(json_agg("entityTypeId" ORDER BY "position"), '[]'),
      'entityId', COALESCE(json_agg("entityId" ORDER BY "position"), '[]'),
      'holderEntityId', COALESCE(json_agg("holderEntityId" ORDER BY "position"), '[]'),
      'targetEntityId', COALESCE(json_agg("targetEntityId" ORDER BY "position"), '[]'),
      'polarityId', COALESCE(json_agg("polarityId" ORDER BY "position"), '[]'),
      'derivedFromIds', COALESCE(json_agg("derivedFromIds" ORDER BY "position"), '[]'),
      'note', COALESCE(json_agg("note" ORDER BY "position"), '[]'),
      'version', COALESCE(json_agg("version" ORDER BY "position"), '[]'),
      'createdAt', COALESCE(json_agg(floor(extract(epoch FROM "createdAt") * 1000) ORDER BY "position"), '[]'),
      'updatedAt', COALESCE(json_agg(floor(extract(epoch FROM "updatedAt") * 1000) ORDER BY "position"), '[]')
    )::text AS "columns"
    FROM live`;
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
