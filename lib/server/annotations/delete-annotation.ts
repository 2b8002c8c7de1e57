import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/server/audit";
import { requireEditableAnnotation } from "./access";
import { assertVersion, lockAnnotation } from "./locked-annotation";
import { readAnnotation } from "./read-annotation";
import { auditJson, serializeAnnotation, type AnnotationJson } from "./serialize";

/**
 * Soft-deletes one of the caller's own annotations, or (reviewers and owners) a gold item: sets deletedAt and bumps
 * the version, so that it can be restored. With `expectedVersion`, refuses (`stale_version`) if it changed since.
 * Throws `not_found`/`forbidden` (see access.ts) and `conflict` when it is already deleted. Returns the deleted
 * annotation (deletedAt set).
 */
export async function deleteAnnotation({ userId, annotationId, expectedVersion }: { userId: string; annotationId: string; expectedVersion?: number }): Promise<AnnotationJson> {
  const { annotation: access } = await requireEditableAnnotation({ userId, annotationId });
  return db.$transaction(async (tx) => {
    const current = await lockAnnotation(tx, annotationId);
    assertVersion(current, expectedVersion);
    if (current.deletedAt) throw new AppError("conflict", "This annotation is already deleted; POST /api/annotations/:id/restore brings it back.");
    const row = await tx.annotation.update({
      where: { id: annotationId },
      data: { deletedAt: new Date(), version: { increment: 1 }, updatedById: userId },
      select: { id: true },
    });
    const after = serializeAnnotation(await readAnnotation(tx, row.id));
    await recordAudit(tx, {
      actorId: userId,
      projectId: access.projectId,
      action: "annotation.delete",
      objectType: "annotation",
      objectId: annotationId,
      before: auditJson(serializeAnnotation(current)),
      after: auditJson(after),
    });
    return after;
  });
}
