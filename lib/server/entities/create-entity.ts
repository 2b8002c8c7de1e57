import "server-only";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/server/audit";
import { requireProjectRole } from "@/lib/server/authz";
import { normalizeAliases, type CreateEntityInput } from "@/lib/validation/entity";
import { findEntityTypeByName, lockEntityType } from "./entity-types";
import { assertEntityNameFree } from "./names";
import { entitySelect, serializeEntity, type EntityJson } from "./serialize";

/**
 * Adds a canonical entity to the project's registry (any member). Throws `validation_failed` for an unknown type
 * and `already_exists` when the type already has an entity of that name (case-insensitively).
 */
export async function createEntity({ userId, projectId, entity }: { userId: string; projectId: string; entity: CreateEntityInput }): Promise<EntityJson> {
  await requireProjectRole({ userId, projectId });
  return db.$transaction(async (tx) => {
    const type = await findEntityTypeByName(tx, { projectId, name: entity.type, field: "type" });
    await lockEntityType(tx, type.id);
    await assertEntityNameFree(tx, { projectId, entityTypeId: type.id, typeName: type.name, name: entity.name });
    const created = await tx.entity.create({
      data: { projectId, entityTypeId: type.id, name: entity.name, aliases: normalizeAliases(entity.aliases ?? [], entity.name) },
      select: entitySelect,
    });
    const json = serializeEntity(created);
    await recordAudit(tx, { actorId: userId, projectId, action: "entity.create", objectType: "entity", objectId: created.id, after: { ...json } });
    return json;
  });
}
