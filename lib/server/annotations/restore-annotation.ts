import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/server/audit";
import { requireAnnotationCustody } from "@/lib/server/history/access";
import { assertVersion, lockAnnotation } from "./locked-annotation";
import { readAnnotation } from "./read-annotation";
import { auditJson, serializeAnnotation, type AnnotationJson } from "./serialize";

/**
 * Undeletes a soft-deleted annotation: the UI's undo of a delete, and the history page's "Restore"; the version
 * goes up. Allowed for the annotator whose layer holds it and for the project's reviewers and owners (any layer,
 * gold included); see lib/server/history/access.ts. No span check: overlapping annotations are allowed, and the
 * annotation keeps the article version it was made on.
 * With `expectedVersion`, refuses (`stale_version`) if it changed since. Throws `not_found` (outsiders, other
 * annotators), `forbidden` (an annotator and a gold item) and `conflict` when it is not deleted.
 */
export async function restoreAnnotation({ userId, annotationId, expectedVersion }: { userId: string; annotationId: string; expectedVersion?: number }): Promise<AnnotationJson> {
  const { annotation: access } = await requireAnnotationCustody({ userId, annotationId });
  return db.$transaction(async (tx) => {
    const current = await lockAnnotation(tx, annotationId);
    assertVersion(current, expectedVersion);
    if (!current.deletedAt) throw new AppError("conflict", "This annotation is not deleted; there is nothing to restore.");
    const row = await tx.annotation.update({
      where: { id: annotationId },
      data: { deletedAt: null, version: { increment: 1 }, updatedById: userId },
      select: { id: true },
    });
    const after = serializeAnnotation(await readAnnotation(tx, row.id));
    await recordAudit(tx, {
      actorId: userId,
      projectId: access.projectId,
      action: "annotation.restore",
      objectType: "annotation",
      objectId: annotationId,
      before: auditJson(serializeAnnotation(current)),
      after: auditJson(after),
    });
    return after;
  });
}
