import "server-only";
import type { DbTransaction } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";

export interface EntityReference {
  /** The request field that named the entity, for the error message: "entityId", "holderEntityId", … */
  field: string;
  id: string;
}

/**
 * Checks that every referenced entity exists in the project and keeps it from being merged away until the
 * transaction ends (FOR KEY SHARE; merging takes FOR UPDATE). Throws `validation_failed` naming the field.
 */
export async function requireProjectEntities(tx: DbTransaction, { projectId, references }: { projectId: string; references: EntityReference[] }) {
  const ids = [...new Set(references.map((reference) => reference.id))];
  if (ids.length === 0) return new Map<string, { id: string; entityTypeId: string }>();
  const rows = await tx.$queryRaw<{ id: string; entityTypeId: string }[]>`
    SELECT "id", "entityTypeId" FROM "Entity" WHERE "projectId" = ${projectId} AND "id" IN (${Prisma.join(ids)}) FOR KEY SHARE`;
  const found = new Map(rows.map((row) => [row.id, row]));
  for (const reference of references) {
    if (!found.has(reference.id)) {
      throw new AppError("validation_failed", `${reference.field}: there is no entity ${JSON.stringify(reference.id)} in this project.`, {
        field: reference.field,
      });
    }
  }
  return found;
}

/** requireProjectEntities for one reference; returns the entity's id and type. */
export async function requireProjectEntity(tx: DbTransaction, { projectId, field, id }: { projectId: string } & EntityReference) {
  const found = await requireProjectEntities(tx, { projectId, references: [{ field, id }] });
  const entity = found.get(id);
  if (!entity) throw new AppError("validation_failed", `${field}: there is no entity ${JSON.stringify(id)} in this project.`, { field });
  return entity;
}
