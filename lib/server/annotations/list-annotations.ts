import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { hasRole, requireArticleRole } from "@/lib/server/authz";
import type { AnnotationLayerFilter } from "@/lib/validation/annotation";
import { getCurrentArticleVersion } from "./current-text";
import { annotationSelect, serializeAnnotation, type AnnotationJson } from "./serialize";

/**
 * The live annotations on the article's current version that the caller may see, by start then end.
 * `mine`: the caller's own layer; `gold`: the gold layer (any member); `all`: every layer (reviewers and owners
 * only, otherwise `forbidden`). Annotators never see another annotator's layer.
 */
export async function listAnnotations({ userId, articleId, layer }: { userId: string; articleId: string; layer: AnnotationLayerFilter }): Promise<AnnotationJson[]> {
  const { role } = await requireArticleRole({ userId, articleId });
  if (layer === "all" && !hasRole(role, "reviewer")) {
    throw new AppError("forbidden", "layer=all shows every annotator's layer, which only reviewers and owners may see. Use layer=mine or layer=gold.");
  }
  const current = await getCurrentArticleVersion(db, articleId);
  const layerFilter: Prisma.AnnotationWhereInput = layer === "mine" ? { layer: "user", userId } : layer === "gold" ? { layer: "gold" } : {};
  const rows = await db.annotation.findMany({
    where: { articleId, articleVersionId: current.id, deletedAt: null, ...layerFilter },
    orderBy: [{ start: "asc" }, { end: "asc" }, { createdAt: "asc" }, { id: "asc" }],
    select: annotationSelect,
  });
  return rows.map(serializeAnnotation);
}
