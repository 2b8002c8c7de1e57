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
 * The rows as one JSON value built by the database: 30,000 annotations as rows through the driver adapter take
 * seconds, as one value a fraction of that. Times travel as epoch milliseconds.
 */
async function loadRows(client: DbTransaction, { articleVersionId, ids }: { articleVersionId: string; ids?: string[] }): Promise<LiveAnnotationRow[]> {
  const [result] = await client.$queryRaw<{ rows: string | null }[]>`
    SELECT json_agg(json_build_object(
      'id', a."id", 'articleId', a."articleId", 'layer', a."layer", 'userId', a."userId", 'kind', a."kind",
      'start', a."start", 'end', a."end", 'quote', a."quote", 'entityTypeId', a."entityTypeId", 'entityId', a."entityId",
      'holderEntityId', a."holderEntityId", 'targetEntityId', a."targetEntityId", 'polarityId', a."polarityId",
      'derivedFromIds', a."derivedFromIds", 'note', a."note", 'version', a."version",
      'createdAt', floor(extract(epoch FROM a."createdAt") * 1000), 'updatedAt', floor(extract(epoch FROM a."updatedAt") * 1000)
    ) ORDER BY a."start", a."end", a."createdAt", a."id")::text AS "rows"
    FROM "Annotation" a
    WHERE a."articleVersionId" = ${articleVersionId} AND a."deletedAt" IS NULL
      AND (${ids === undefined} OR a."id" = ANY(${ids ?? []}::text[]))`;
  const rows = JSON.parse(result?.rows ?? "[]") as (Omit<LiveAnnotationRow, "createdAt" | "updatedAt" | "deletedAt"> & { createdAt: number; updatedAt: number })[];
  return rows.map((row) => ({ ...row, createdAt: new Date(row.createdAt), updatedAt: new Date(row.updatedAt), deletedAt: null }));
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
  { projectId, articleVersion, ids }: { projectId: string; articleVersion: { id: string; version: number }; ids?: string[] },
): Promise<LiveAnnotations> {
  const rows = await loadRows(client, { articleVersionId: articleVersion.id, ids });
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
