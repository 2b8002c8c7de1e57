import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/server/audit";
import type { UpdateAnnotationInput } from "@/lib/validation/annotation";
import { requireEditableAnnotation } from "./access";
import { assertSpan, getCurrentArticleVersion } from "./current-text";
import { resolveLabelChanges, type LabelColumns } from "./label-changes";
import { assertVersion, lockAnnotation } from "./locked-annotation";
import { readAnnotation } from "./read-annotation";
import { auditJson, serializeAnnotation, type AnnotationJson } from "./serialize";

type ChangedColumns = LabelColumns & { start?: number; end?: number; quote?: string };

/**
 * Changes one of the caller's own annotations, or, for reviewers and owners, a gold item: boundaries (re-validated
 * against the current text) and labels (see resolveLabelChanges). `changes.version` must be the annotation's current version, else `stale_version`
 * with the current annotation. A patch that changes nothing returns the annotation as it is (same version).
 * Throws `not_found`/`forbidden` (see access.ts), `validation_failed`, and `conflict` for a deleted annotation or
 * one made on an older version of the article text when moving its boundaries.
 */
export async function updateAnnotation({ userId, annotationId, changes }: { userId: string; annotationId: string; changes: UpdateAnnotationInput }): Promise<AnnotationJson> {
  const { annotation: access } = await requireEditableAnnotation({ userId, annotationId });
  return db.$transaction(async (tx) => {
    const current = await lockAnnotation(tx, annotationId);
    assertVersion(current, changes.version);
    if (current.deletedAt) {
      throw new AppError("conflict", "This annotation is deleted. Restore it (POST /api/annotations/:id/restore) before changing it.");
    }
    const columns: ChangedColumns = {};
    const { start, end, quote } = changes;
    if (start !== undefined && end !== undefined && quote !== undefined) {
      const text = await getCurrentArticleVersion(tx, current.articleId);
      if (text.id !== current.articleVersionId) {
        throw new AppError(
          "conflict",
          `This annotation was made on version ${current.articleVersion.version} of the article; its text is now version ${text.version}. Create a new annotation on the current text instead.`,
        );
      }
      assertSpan(text, { start, end, quote });
      Object.assign(columns, { start, end, quote });
    }
    Object.assign(columns, await resolveLabelChanges(tx, { userId, projectId: access.projectId, current, changes }));
    const changed = (Object.keys(columns) as (keyof ChangedColumns)[]).filter((column) => columns[column] !== current[column]);
    const before = serializeAnnotation(current);
    if (changed.length === 0) return before;
    const row = await tx.annotation.update({
      where: { id: annotationId },
      data: { ...columns, version: { increment: 1 }, updatedById: userId },
      select: { id: true },
    });
    const after = serializeAnnotation(await readAnnotation(tx, row.id));
    await recordAudit(tx, {
      actorId: userId,
      projectId: access.projectId,
      action: "annotation.update",
      objectType: "annotation",
      objectId: annotationId,
      before: auditJson(before),
      after: auditJson(after),
    });
    return after;
  });
}
