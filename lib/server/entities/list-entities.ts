import "server-only";
import { db } from "@/lib/db";
import { requireProjectRole } from "@/lib/server/authz";
import { entityNameKey } from "@/lib/validation/entity";
import { findEntityTypeByName } from "./entity-types";
import { compareEntityNames, entitySelect, serializeEntity, type EntityJson } from "./serialize";

/**
 * The project's canonical entities sorted by name, for any member. `q` keeps those whose name or an alias contains
 * it (case-insensitively); `type` keeps one entity type (unknown types are `validation_failed`).
 */
export async function listEntities({ userId, projectId, q, type }: { userId: string; projectId: string; q?: string; type?: string }): Promise<EntityJson[]> {
  await requireProjectRole({ userId, projectId });
  const entityType = type ? await findEntityTypeByName(db, { projectId, name: type, field: "type" }) : null;
  const rows = await db.entity.findMany({ where: { projectId, entityTypeId: entityType?.id }, select: entitySelect });
  const needle = q ? entityNameKey(q) : "";
  // Aliases are a text[]: filtering in SQL would need unnest; a project's registry is small enough to filter here.
  const matches = needle ? rows.filter((row) => [row.name, ...row.aliases].some((name) => entityNameKey(name).includes(needle))) : rows;
  return matches.sort(compareEntityNames).map(serializeEntity);
}
