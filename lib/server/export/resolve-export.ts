import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { ExportContext, ExportLayer } from "@/lib/export/model";
import { hasRole, requireProjectRole } from "@/lib/server/authz";
import type { ExportQuery } from "@/lib/validation/export";

export interface ExportPlan {
  projectId: string;
  ctx: ExportContext;
  /** ids of the project's chosen articles, by position (ids only: texts are loaded in batches) */
  articleIds: string[];
}

/**
 * Checks who may export what and resolves the query into a plan. Not a member: `not_found`. `all`, or another
 * annotator's layer: reviewers and owners only (`forbidden` for annotators). `gold` and one's own layer: any
 * member. An unknown annotator, article id or type: `validation_failed` naming it.
 */
export async function resolveExport({ userId, projectId, query }: { userId: string; projectId: string; query: ExportQuery }): Promise<ExportPlan> {
  const role = await requireProjectRole({ userId, projectId });
  const isReviewer = hasRole(role, "reviewer");
  const project = await db.project.findUniqueOrThrow({
    where: { id: projectId },
    select: {
      id: true,
      name: true,
      entityTypes: { select: { name: true, color: true }, orderBy: { position: "asc" } },
      polarities: { select: { name: true }, orderBy: { position: "asc" } },
    },
  });

  let layer: ExportLayer;
  const requested = query.layer;
  if (requested === "gold") layer = { kind: "gold" };
  else if (requested === "all") {
    if (!isReviewer) throw new AppError("forbidden", "Only reviewers and owners may export every layer; export layer=gold or layer=mine.");
    layer = { kind: "all" };
  } else {
    const member = await db.membership.findFirst({
      where: {
        projectId,
        user: requested === "mine" ? { id: userId } : { OR: [{ id: requested }, { email: { equals: requested, mode: "insensitive" } }] },
      },
      select: { user: { select: { id: true, name: true } } },
    });
    if (!member) throw new AppError("validation_failed", `layer=${requested} is not a member of this project. Send layer= gold, all, mine, or a member's user id or email.`);
    if (member.user.id !== userId && !isReviewer) throw new AppError("forbidden", "Annotators may export the gold layer and their own layer only (layer=gold or layer=mine).");
    layer = { kind: "user", user: member.user };
  }

  const typeNames = project.entityTypes.map((type) => type.name);
  const unknownTypes = (query.types ?? []).filter((type) => !typeNames.includes(type));
  if (unknownTypes.length) throw new AppError("validation_failed", `Unknown entity type ${unknownTypes.join(", ")}: this project's types are ${typeNames.join(", ")}.`, { allowed: typeNames });

  const articles = await db.article.findMany({
    where: { projectId, ...(query.articles ? { id: { in: query.articles } } : {}) },
    select: { id: true },
    orderBy: { position: "asc" },
  });
  if (query.articles && articles.length !== query.articles.length) {
    const found = new Set(articles.map((article) => article.id));
    const missing = query.articles.filter((id) => !found.has(id));
    throw new AppError("validation_failed", `No article ${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ` (and ${missing.length - 5} more)` : ""} in this project.`);
  }

  return {
    projectId,
    articleIds: articles.map((article) => article.id),
    ctx: {
      project: { id: project.id, name: project.name },
      layer,
      exportedAt: new Date().toISOString(),
      entityTypes: project.entityTypes,
      polarities: project.polarities.map((polarity) => polarity.name),
      filters: { articleIds: query.articles, types: query.types },
    },
  };
}
