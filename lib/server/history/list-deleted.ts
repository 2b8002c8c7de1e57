import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { annotationSelect, serializeAnnotation, type AnnotationJson } from "@/lib/server/annotations/serialize";
import { hasRole, requireArticleRole } from "@/lib/server/authz";
import type { MemberRoleName } from "@/lib/validation/project";
import { canRestoreLayer } from "./access";

export interface DeletedLayer {
  annotator: { id: string; name: string };
  /** Most recently deleted first. */
  annotations: AnnotationJson[];
}

export interface DeletedAnnotations {
  role: MemberRoleName;
  /** The caller's own layer first, then the others (reviewers and owners) by name; layers with nothing deleted are left out. */
  layers: DeletedLayer[];
  /** More than `maxListed` were deleted: the oldest are left out of the list (a layer restore still restores them). */
  truncated: boolean;
}

export const maxListed = 2000;

/**
 * The deleted annotations of annotator layers on an article that the caller may restore: their own, and for
 * reviewers and owners every annotator's (or only `annotatorId`'s). With `deletedSince`, only those deleted at
 * or after it: what POST /api/articles/:id/layers/restore with the same fields would restore. Gold items are not
 * listed. Throws `not_found` (not a member) and `forbidden` (an annotator naming another's layer).
 */
export async function listDeletedAnnotations({
  userId,
  articleId,
  annotatorId,
  deletedSince,
}: {
  userId: string;
  articleId: string;
  annotatorId?: string;
  deletedSince?: string;
}): Promise<DeletedAnnotations> {
  const { role } = await requireArticleRole({ userId, articleId });
  if (annotatorId !== undefined && !canRestoreLayer(role, userId, annotatorId)) {
    throw new AppError("forbidden", "Only the annotator themself and the project's reviewers and owners may see an annotator's deleted annotations.");
  }
  const layerOwner = annotatorId ?? (hasRole(role, "reviewer") ? undefined : userId);
  const rows = await db.annotation.findMany({
    where: {
      articleId,
      layer: "user",
      ...(layerOwner !== undefined && { userId: layerOwner }),
      deletedAt: deletedSince ? { gte: new Date(deletedSince) } : { not: null },
    },
    orderBy: [{ deletedAt: "desc" }, { id: "asc" }],
    take: maxListed + 1,
    select: annotationSelect,
  });
  const layers = new Map<string, DeletedLayer>();
  for (const row of rows.slice(0, maxListed)) {
    const annotation = serializeAnnotation(row);
    const annotator = annotation.annotator ?? { id: annotation.userId ?? "", name: "(unknown)" };
    const layer = layers.get(annotator.id) ?? { annotator, annotations: [] };
    layer.annotations.push(annotation);
    layers.set(annotator.id, layer);
  }
  const ordered = [...layers.values()].sort((a, b) =>
    a.annotator.id === userId ? -1 : b.annotator.id === userId ? 1 : a.annotator.name.localeCompare(b.annotator.name, "en"),
  );
  return { role, layers: ordered, truncated: rows.length > maxListed };
}
