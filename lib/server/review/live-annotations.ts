import "server-only";
import type { DbTransaction } from "@/lib/db";
import type { GoldAnnotationJson } from "@/lib/review/types";
import { serializeAnnotation, type AnnotationJson, type AnnotationRow } from "@/lib/server/annotations/serialize";

/*
 * Reads every live annotation of an article version as JSON with six flat queries one after another, whatever
 * their number: safe inside a transaction (see read-annotation.ts on relation selects there) and quick for
 * thousands of annotations.
 */

interface LiveAnnotationRow {
  id: string;
  articleId: string;
  layer: "user" | "gold";
  userId: string | null;
  kind: "entity" | "stance";
  start: number;
  end: number;
  quote: string;
  entityTypeId: string | null;
  entityId: string | null;
  holderEntityId: string | null;
  targetEntityId: string | null;
  polarityId: string | null;
  derivedFromIds: string[];
  note: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

/**
 * The rows as one JSON value of columns built by the database: 30,000 annotations as rows through the driver
 * adapter take seconds, as columns a fraction of that. Times travel as epoch milliseconds; quotes are sliced from
 * the version's text (they equal it by construction), which the caller has in hand.
 */
async function loadRows(client: DbTransaction, { articleVersionId, text, ids }: { articleVersionId: string; text: string; ids?: string[] }): Promise<LiveAnnotationRow[]> {
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
  const columns = JSON.parse(result!.columns) as { [Field in keyof LiveAnnotationRow]: unknown[] };
  return (columns.id as string[]).map((id, index) => {
    const value = <Field extends keyof LiveAnnotationRow>(field: Field) => columns[field][index] as LiveAnnotationRow[Field];
    const start = value("start");
    const end = value("end");
    return {
      id,
      articleId: value("articleId"),
      layer: value("layer"),
      userId: value("userId"),
      kind: value("kind"),
      start,
      end,
      quote: text.slice(start, end),
      entityTypeId: value("entityTypeId"),
      entityId: value("entityId"),
      holderEntityId: value("holderEntityId"),
      targetEntityId: value("targetEntityId"),
      polarityId: value("polarityId"),
      derivedFromIds: value("derivedFromIds"),
      note: value("note"),
      version: value("version"),
      createdAt: new Date(columns.createdAt[index] as number),
      updatedAt: new Date(columns.updatedAt[index] as number),
      deletedAt: null,
    };
  });
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
  const rows = await loadRows(client, { articleVersionId: articleVersion.id, text: articleVersion.text, ids });
  const entityIds = distinct(rows.flatMap((row) => [row.entityId, row.holderEntityId, row.targetEntityId]));
  const userIds = distinct(rows.map((row) => row.userId));
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
  for (const { entityTypeId, polarityId, derivedFromIds, ...row } of rows) {
    const annotationRow: AnnotationRow = {
      ...row,
      articleVersion: { version: articleVersion.version },
      user: row.userId ? (userById.get(row.userId) ?? null) : null,
      entityType: entityTypeId ? (typeById.get(entityTypeId) ?? null) : null,
      entity: row.entityId ? (entityById.get(row.entityId) ?? null) : null,
      holderEntity: refOf(row.holderEntityId),
      targetEntity: refOf(row.targetEntityId),
      polarity: polarityId ? (polarityById.get(polarityId) ?? null) : null,
    };
    const json = serializeAnnotation(annotationRow);
    if (row.layer === "gold") result.gold.push({ ...json, derivedFromIds });
    else result.annotations.push(json);
  }
  return result;
}
