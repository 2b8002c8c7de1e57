import "server-only";
import type { DbTransaction } from "@/lib/db";
import { entityRefFields, type AnnotationRow } from "./serialize";

/**
 * Reads one annotation in the shape of `annotationSelect` (plus the ids a write needs), one query after another.
 * Inside a transaction use this rather than `select: annotationSelect`: Prisma loads that select's relations with
 * concurrent queries, which on the transaction's single pg connection use pg's deprecated query queue
 * (a DeprecationWarning now, an error from pg 9).
 */
export async function readAnnotation(tx: DbTransaction, annotationId: string) {
  const row = await tx.annotation.findUniqueOrThrow({
    where: { id: annotationId },
    select: {
      id: true,
      projectId: true,
      articleId: true,
      articleVersionId: true,
      layer: true,
      userId: true,
      kind: true,
      start: true,
      end: true,
      quote: true,
      entityTypeId: true,
      entityId: true,
      holderEntityId: true,
      targetEntityId: true,
      polarityId: true,
      note: true,
      version: true,
      createdAt: true,
      updatedAt: true,
      deletedAt: true,
    },
  });
  const articleVersion = await tx.articleVersion.findUniqueOrThrow({ where: { id: row.articleVersionId }, select: { version: true } });
  const user = row.userId ? await tx.user.findUnique({ where: { id: row.userId }, select: { id: true, name: true } }) : null;
  const entityType = row.entityTypeId ? await tx.entityType.findUnique({ where: { id: row.entityTypeId }, select: { name: true } }) : null;
  const entity = row.entityId ? await tx.entity.findUnique({ where: { id: row.entityId }, select: { ...entityRefFields, aliases: true } }) : null;
  const holderEntity = row.holderEntityId ? await tx.entity.findUnique({ where: { id: row.holderEntityId }, select: entityRefFields }) : null;
  const targetEntity = row.targetEntityId ? await tx.entity.findUnique({ where: { id: row.targetEntityId }, select: entityRefFields }) : null;
  const polarity = row.polarityId ? await tx.stancePolarity.findUnique({ where: { id: row.polarityId }, select: { name: true } }) : null;
  return { ...row, articleVersion, user, entityType, entity, holderEntity, targetEntity, polarity } satisfies AnnotationRow;
}
