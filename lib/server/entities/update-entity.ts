import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/server/audit";
import { normalizeAliases, type UpdateEntityInput } from "@/lib/validation/entity";
import { requireEntityForMember } from "./access";
import { findEntityTypeByName, lockEntityType } from "./entity-types";
import { assertEntityNameFree } from "./names";
import { entitySelect, serializeEntity, type EntityJson } from "./serialize";

/**
 * Renames, retypes or replaces the aliases of a canonical entity. Any member may edit the project's registry
 * (it is shared; the audit log says who changed what). Mentions keep their own type: an entity mention's type is
 * the annotator's label, which may differ from the entity's. Throws `not_found`, `validation_failed` (unknown
 * type) and `already_exists` (the type already has an entity of that name).
 */
export async function updateEntity({ userId, entityId, changes }: { userId: string; entityId: string; changes: UpdateEntityInput }): Promise<EntityJson> {
  const { projectId } = await requireEntityForMember({ userId, entityId });
  return db.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Entity" WHERE "id" = ${entityId} FOR UPDATE`;
    if (locked.length === 0) throw new AppError("not_found", "No such entity: it was merged into another or removed meanwhile.");
    const current = await tx.entity.findUniqueOrThrow({ where: { id: entityId }, select: { ...entitySelect, entityTypeId: true } });
    const type = changes.type !== undefined ? await findEntityTypeByName(tx, { projectId, name: changes.type, field: "type" }) : { id: current.entityTypeId, name: current.entityType.name };
    const name = changes.name ?? current.name;
    const aliases = normalizeAliases(changes.aliases ?? current.aliases, name);
    if (name !== current.name || type.id !== current.entityTypeId) {
      await lockEntityType(tx, type.id);
      await assertEntityNameFree(tx, { projectId, entityTypeId: type.id, typeName: type.name, name, exceptId: entityId });
    }
    const before = serializeEntity(current);
    const unchanged = name === current.name && type.id === current.entityTypeId && aliases.join("\u0000") === current.aliases.join("\u0000");
    if (unchanged) return before;
    const updated = await tx.entity.update({ where: { id: entityId }, data: { name, entityTypeId: type.id, aliases }, select: entitySelect });
    const after = serializeEntity(updated);
    await recordAudit(tx, { actorId: userId, projectId, action: "entity.update", objectType: "entity", objectId: entityId, before: { ...before }, after: { ...after } });
    return after;
  });
}
