import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { hasRole, requireArticleRole } from "@/lib/server/authz";
import type { MemberRoleName } from "@/lib/validation/project";

/*
 * Who may see and change an annotation. Every member sees the gold layer and their own user layer; reviewers and
 * owners see every layer. Only the annotator whose layer holds it may change it; reviewers and owners change the gold layer.
 * Not visible (not a member, or another annotator's layer): `not_found`. Visible but not yours: `forbidden`.
 */

const notFoundMessage = "No such annotation, or you cannot see it.";
const otherLayerMessage =
  "This annotation is in another annotator's layer; only they can change it. Reviewers settle differences in the gold layer.";

export interface AnnotationAccess {
  annotation: { id: string; projectId: string; articleId: string; layer: "user" | "gold"; userId: string | null };
  role: MemberRoleName;
}

export function canSeeAnnotation(role: MemberRoleName, userId: string, annotation: { layer: "user" | "gold"; userId: string | null }): boolean {
  return annotation.layer === "gold" || annotation.userId === userId || hasRole(role, "reviewer");
}

/** The annotation if the caller may see it (soft-deleted ones included); `not_found` otherwise. */
export async function requireVisibleAnnotation({ userId, annotationId }: { userId: string; annotationId: string }): Promise<AnnotationAccess> {
  const annotation = await db.annotation.findUnique({
    where: { id: annotationId },
    select: { id: true, projectId: true, articleId: true, layer: true, userId: true },
  });
  if (!annotation) throw new AppError("not_found", notFoundMessage);
  const { role } = await requireArticleRole({ userId, articleId: annotation.articleId }).catch((error: unknown) => {
    throw error instanceof AppError && error.code === "not_found" ? new AppError("not_found", notFoundMessage) : error;
  });
  if (!canSeeAnnotation(role, userId, annotation)) throw new AppError("not_found", notFoundMessage);
  return { annotation, role };
}

/** The annotation if it is in the caller's own layer; `forbidden` if they only see it, `not_found` if not even that. */
export async function requireOwnAnnotation({ userId, annotationId }: { userId: string; annotationId: string }): Promise<AnnotationAccess> {
  const access = await requireVisibleAnnotation({ userId, annotationId });
  const { annotation } = access;
  if (annotation.layer !== "user" || annotation.userId !== userId) {
    throw new AppError(
      "forbidden",
      annotation.layer === "gold"
        ? "This annotation is in the gold layer; it is changed through review, not edited directly."
        : otherLayerMessage,
    );
  }
  return access;
}

/**
 * The annotation if the caller may change it: one in their own layer, or, for reviewers and owners, one in the
 * gold layer. `forbidden` if they only see it, `not_found` if not even that.
 */
export async function requireEditableAnnotation({ userId, annotationId }: { userId: string; annotationId: string }): Promise<AnnotationAccess> {
  const access = await requireVisibleAnnotation({ userId, annotationId });
  const { annotation, role } = access;
  if (annotation.layer === "gold" ? hasRole(role, "reviewer") : annotation.userId === userId) return access;
  throw new AppError(
    "forbidden",
    annotation.layer === "gold" ? "This annotation is in the gold layer; only reviewers and owners of the project change it, through review." : otherLayerMessage,
  );
}
