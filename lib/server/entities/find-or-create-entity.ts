import "server-only";
import type { DbTransaction } from "@/lib/db";
import { recordAudit } from "@/lib/server/audit";
import { lockEntityType } from "./entity-types";
import { findEntityByNameOrAlias } from "./names";
import { entitySelect, serializeEntity } from "./serialize";

/**
 * The project's canonical entity of this type whose name or alias is `name` (case-insensitively, trimmed), created
 * (and audited) when there is none. For use inside a write that has already checked the caller's access.
 */
export async function findOrCreateEntity(
  tx: DbTransaction,
  { actorId, projectId, entityTypeId, name }: { actorId: string; projectId: string; entityTypeId: string; name: string },
): Promise<{ id: string; created: boolean }> {
  await lockEntityType(tx, entityTypeId);
  // Twice at most: an entity found here may be merged away before it is locked; the second look finds the kept one.
  for (let attempt = 0; attempt < 2; attempt++) {
    const existing = await findEntityByNameOrAlias(tx, { projectId, entityTypeId, name });
    if (!existing) break;
    // FOR KEY SHARE keeps it from being merged away (deleted) before the caller's write commits.
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Entity" WHERE "id" = ${existing.id} FOR KEY SHARE`;
    if (locked.length > 0) return { id: existing.id, created: false };
  }
  const entity = await tx.entity.create({ data: { projectId, entityTypeId, name: name.trim() }, select: entitySelect });
  await recordAudit(tx, { actorId, projectId, action: "entity.create", objectType: "entity", objectId: entity.id, after: { ...serializeEntity(entity) } });
  return { id: entity.id, created: true };
}
