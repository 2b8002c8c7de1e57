import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { requireProjectRole } from "@/lib/server/authz";

/**
 * Loads an entity for a member of its project (any role may read and edit the registry). Unknown entities and
 * those of projects the caller does not belong to are both `not_found`.
 */
export async function requireEntityForMember({ userId, entityId }: { userId: string; entityId: string }) {
  const notFound = () => new AppError("not_found", "No such entity, or you are not a member of its project.");
  const entity = await db.entity.findUnique({ where: { id: entityId }, select: { id: true, projectId: true } });
  if (!entity) throw notFound();
  const role = await requireProjectRole({ userId, projectId: entity.projectId }).catch((error: unknown) => {
    throw error instanceof AppError && error.code === "not_found" ? notFound() : error;
  });
  return { ...entity, role };
}
