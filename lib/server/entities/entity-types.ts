import "server-only";
import type { DbTransaction } from "@/lib/db";
import { AppError } from "@/lib/errors";

type Client = Pick<DbTransaction, "entityType">;

/**
 * The project's entity type called `name` ("PER"): an exact match, else the one matching case-insensitively.
 * Throws `validation_failed` naming the project's types when there is none.
 */
export async function findEntityTypeByName(client: Client, { projectId, name, field = "entityType" }: { projectId: string; name: string; field?: string }) {
  const types = await client.entityType.findMany({ where: { projectId }, select: { id: true, name: true }, orderBy: { position: "asc" } });
  const wanted = name.trim();
  const found = types.find((type) => type.name === wanted) ?? types.find((type) => type.name.toLowerCase() === wanted.toLowerCase());
  if (!found) {
    const allowed = types.map((type) => type.name);
    throw new AppError(
      "validation_failed",
      `${field}: unknown entity type ${JSON.stringify(wanted)}. This project's entity types are ${allowed.join(", ")}.`,
      { field, allowed },
    );
  }
  return found;
}

/** Serialises writes of entity names within one entity type, so that "find or create" cannot create twins. */
export async function lockEntityType(tx: DbTransaction, entityTypeId: string): Promise<void> {
  await tx.$queryRaw`SELECT 1 FROM "EntityType" WHERE "id" = ${entityTypeId} FOR UPDATE`;
}
