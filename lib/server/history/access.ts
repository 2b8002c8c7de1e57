import "server-only";
import { AppError } from "@/lib/errors";
import { requireVisibleAnnotation, type AnnotationAccess } from "@/lib/server/annotations/access";
import { hasRole } from "@/lib/server/authz";
import type { MemberRoleName } from "@/lib/validation/project";

/*
 * Who may read an annotation's history and restore it: the annotator whose layer holds it, and the project's
 * reviewers and owners (for every layer, gold included). Nobody else. Another annotator cannot even see the
 * annotation (`not_found`); an annotator asking about a gold item sees it but may not do this (`forbidden`).
 * INVARIANT: reading the history and restoring share this one rule, so the history page offers "Restore" exactly
 * when POST /api/annotations/:id/restore would accept it.
 */

export function canRestoreAnnotation(role: MemberRoleName, userId: string, annotation: { layer: "user" | "gold"; userId: string | null }): boolean {
  return (annotation.layer === "user" && annotation.userId === userId) || hasRole(role, "reviewer");
}

/** The annotation if the caller may read its history and restore it; `not_found` or `forbidden` otherwise (see above). */
export async function requireAnnotationCustody({ userId, annotationId }: { userId: string; annotationId: string }): Promise<AnnotationAccess> {
  const access = await requireVisibleAnnotation({ userId, annotationId });
  if (!canRestoreAnnotation(access.role, userId, access.annotation)) {
    throw new AppError("forbidden", "Only reviewers and owners of the project may see the history of a gold item and restore it.");
  }
  return access;
}

/**
 * May the caller restore deleted annotations of `annotatorId`'s layer on an article where they have `role`:
 * their own layer, or any layer for reviewers and owners.
 */
export function canRestoreLayer(role: MemberRoleName, userId: string, annotatorId: string): boolean {
  return annotatorId === userId || hasRole(role, "reviewer");
}
