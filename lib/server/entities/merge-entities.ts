import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/server/audit";
import { normalizeAliases } from "@/lib/validation/entity";
import { requireEntityForMember } from "./access";
import { entitySelect, serializeEntity, type EntityJson } from "./serialize";

/**
 * Merges entity `entityId` into `intoEntityId` (any member): every mention and every stance holder and target in
 * every layer, deleted ones included, is relinked (their version goes up), the kept entity gains the merged one's
 * name and aliases, and the merged entity is deleted; one "entity.merge" audit entry records it. Mentions keep
 * their own type. Throws `not_found` for an entity the caller cannot see and `validation_failed` when
 * intoEntityId is the same entity or not in the same project.
 */
export async function mergeEntities({ userId, entityId, intoEntityId }: { userId: string; entityId: string; intoEntityId: string }): Promise<EntityJson> {
  const { projectId } = await requireEntityForMember({ userId, entityId });
  if (intoEntityId === entityId) throw new AppError("validation_failed", "intoEntityId: an entity cannot be merged into itself.", { field: "intoEntityId" });
  return db.$transaction(async (tx) => {
    // Both rows, in id order so that two opposite merges cannot deadlock.
    const locked = await tx.$queryRaw<{ id: string; projectId: string }[]>`
      SELECT "id", "projectId" FROM "Entity" WHERE "id" IN (${entityId}, ${intoEntityId}) ORDER BY "id" FOR UPDATE`;
    if (!locked.some((row) => row.id === entityId)) throw new AppError("not_found", "No such entity: it was merged into another meanwhile.");
    if (!locked.some((row) => row.id === intoEntityId && row.projectId === projectId)) {
      throw new AppError("validation_failed", `intoEntityId: there is no entity ${JSON.stringify(intoEntityId)} in this project.`, { field: "intoEntityId" });
    }
    const merged = await tx.entity.findUniqueOrThrow({ where: { id: entityId }, select: entitySelect });
    const into = await tx.entity.findUniqueOrThrow({ where: { id: intoEntityId }, select: entitySelect });
    const mentions = await tx.annotation.count({ where: { entityId } });
    const holders = await tx.annotation.count({ where: { holderEntityId: entityId } });
    const targets = await tx.annotation.count({ where: { targetEntityId: entityId } });
    // One statement, so a stance whose holder and target are both the merged entity changes version once.
    await tx.$executeRaw`
      UPDATE "Annotation" SET
        "entityId" = CASE WHEN "entityId" = ${entityId} THEN ${intoEntityId} ELSE "entityId" END,
        "holderEntityId" = CASE WHEN "holderEntityId" = ${entityId} THEN ${intoEntityId} ELSE "holderEntityId" END,
        "targetEntityId" = CASE WHEN "targetEntityId" = ${entityId} THEN ${intoEntityId} ELSE "targetEntityId" END,
        "version" = "version" + 1, "updatedById" = ${userId}, "updatedAt" = now()
      WHERE "entityId" = ${entityId} OR "holderEntityId" = ${entityId} OR "targetEntityId" = ${entityId}`;
    const aliases = normalizeAliases([...into.aliases, merged.name, ...merged.aliases], into.name);
    await tx.entity.delete({ where: { id: entityId } });
    const kept = await tx.entity.update({ where: { id: intoEntityId }, data: { aliases }, select: entitySelect });
    const after = serializeEntity(kept);
    await recordAudit(tx, {
      actorId: userId,
      projectId,
      action: "entity.merge",
      objectType: "entity",
      objectId: entityId,
      before: { merged: { ...serializeEntity(merged) }, into: { ...serializeEntity(into) } },
      after: { into: { ...after }, relinked: { mentions, holders, targets } },
    });
    return after;
  });
}
