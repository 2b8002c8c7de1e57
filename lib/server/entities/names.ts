import "server-only";
import type { DbTransaction } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { entityNameKey } from "@/lib/validation/entity";

/*
 * Name rules of the entity registry. INVARIANT: within one project and entity type no two entities have the same
 * name up to case and surrounding space (entityNameKey). Callers hold lockEntityType for the type while they check
 * and write, so two requests cannot both pass the check.
 */

/** The entity of this type whose name, else one of whose aliases, is `name` (case-insensitively); null if none. */
export async function findEntityByNameOrAlias(tx: DbTransaction, { projectId, entityTypeId, name }: { projectId: string; entityTypeId: string; name: string }) {
  const key = entityNameKey(name);
  const candidates = await tx.entity.findMany({
    where: { projectId, entityTypeId },
    select: { id: true, name: true, aliases: true },
    orderBy: { createdAt: "asc" },
  });
  return (
    candidates.find((entity) => entityNameKey(entity.name) === key) ??
    candidates.find((entity) => entity.aliases.some((alias) => entityNameKey(alias) === key)) ??
    null
  );
}

/** Throws `already_exists` when another entity of the type already has this name (case-insensitively). */
export async function assertEntityNameFree(
  tx: DbTransaction,
  { projectId, entityTypeId, typeName, name, exceptId }: { projectId: string; entityTypeId: string; typeName: string; name: string; exceptId?: string },
): Promise<void> {
  const key = entityNameKey(name);
  const twins = await tx.entity.findMany({ where: { projectId, entityTypeId, id: exceptId ? { not: exceptId } : undefined }, select: { id: true, name: true } });
  const twin = twins.find((entity) => entityNameKey(entity.name) === key);
  if (twin) {
    throw new AppError("already_exists", `There is already a ${typeName} entity called ${JSON.stringify(twin.name)}. Use it, or merge the two.`, {
      entityId: twin.id,
    });
  }
}
