import "server-only";
import type { DbTransaction } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { AnnotationRow } from "./serialize";

interface JoinedAnnotation {
  id: string;
  projectId: string;
  articleId: string;
  articleVersionId: string;
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
  note: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
  articleVersionNumber: number;
  userName: string | null;
  typeName: string | null;
  entityName: string | null;
  entityAliases: string[] | null;
  entityTypeName: string | null;
  holderName: string | null;
  holderTypeName: string | null;
  targetName: string | null;
  targetTypeName: string | null;
  polarityName: string | null;
}

/**
 * Reads one annotation in the shape of `annotationSelect` (plus the ids a write needs) with one joined query: a
 * write's answer costs one round trip, not seven. Inside a transaction use this rather than `select:
 * annotationSelect`, whose relations Prisma loads with concurrent queries (pg's deprecated query queue on the
 * transaction's single connection).
 */
export async function readAnnotation(
  tx: DbTransaction,
  annotationId: string,
): Promise<AnnotationRow & Pick<JoinedAnnotation, "projectId" | "articleVersionId" | "entityTypeId" | "polarityId">> {
  const [row] = await tx.$queryRaw<JoinedAnnotation[]>`
    SELECT a."id", a."projectId", a."articleId", a."articleVersionId", a."layer"::text AS "layer", a."userId", a."kind"::text AS "kind",
           a."start", a."end", a."quote", a."entityTypeId", a."entityId", a."holderEntityId", a."targetEntityId", a."polarityId",
           a."note", a."version", a."createdAt", a."updatedAt", a."deletedAt",
           v."version" AS "articleVersionNumber", u."name" AS "userName", t."name" AS "typeName",
           e."name" AS "entityName", e."aliases" AS "entityAliases", et."name" AS "entityTypeName",
           h."name" AS "holderName", ht."name" AS "holderTypeName", g."name" AS "targetName", gt."name" AS "targetTypeName",
           p."name" AS "polarityName"
    FROM "Annotation" a
    JOIN "ArticleVersion" v ON v."id" = a."articleVersionId"
    LEFT JOIN "User" u ON u."id" = a."userId"
    LEFT JOIN "EntityType" t ON t."id" = a."entityTypeId"
    LEFT JOIN "Entity" e ON e."id" = a."entityId"
    LEFT JOIN "EntityType" et ON et."id" = e."entityTypeId"
    LEFT JOIN "Entity" h ON h."id" = a."holderEntityId"
    LEFT JOIN "EntityType" ht ON ht."id" = h."entityTypeId"
    LEFT JOIN "Entity" g ON g."id" = a."targetEntityId"
    LEFT JOIN "EntityType" gt ON gt."id" = g."entityTypeId"
    LEFT JOIN "StancePolarity" p ON p."id" = a."polarityId"
    WHERE a."id" = ${annotationId}`;
  if (!row) throw new AppError("not_found", "No such annotation, or you cannot see it.");
  const reference = (id: string | null, name: string | null, typeName: string | null) =>
    id !== null && name !== null ? { id, name, entityType: { name: typeName ?? "" } } : null;
  const entity = reference(row.entityId, row.entityName, row.entityTypeName);
  return {
    id: row.id,
    projectId: row.projectId,
    articleId: row.articleId,
    articleVersionId: row.articleVersionId,
    layer: row.layer,
    userId: row.userId,
    kind: row.kind,
    start: row.start,
    end: row.end,
    quote: row.quote,
    entityTypeId: row.entityTypeId,
    entityId: row.entityId,
    holderEntityId: row.holderEntityId,
    targetEntityId: row.targetEntityId,
    polarityId: row.polarityId,
    note: row.note,
    version: row.version,
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
    deletedAt: row.deletedAt === null ? null : new Date(row.deletedAt),
    articleVersion: { version: row.articleVersionNumber },
    user: row.userId !== null && row.userName !== null ? { id: row.userId, name: row.userName } : null,
    entityType: row.typeName !== null ? { name: row.typeName } : null,
    entity: entity ? { ...entity, aliases: row.entityAliases ?? [] } : null,
    holderEntity: reference(row.holderEntityId, row.holderName, row.holderTypeName),
    targetEntity: reference(row.targetEntityId, row.targetName, row.targetTypeName),
    polarity: row.polarityName !== null ? { name: row.polarityName } : null,
  };
}
