import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { MemberRoleName } from "@/lib/validation/project";

const roleRank: Record<MemberRoleName, number> = { annotator: 0, reviewer: 1, owner: 2 };

export function hasRole(role: MemberRoleName, minimumRole: MemberRoleName): boolean {
  return roleRank[role] >= roleRank[minimumRole];
}

const whatEachRoleMayDo: Record<MemberRoleName, string> = {
  annotator: "members",
  reviewer: "reviewers and owners",
  owner: "project owners",
};

/**
 * The one authorization check for project data, used by every page, route handler and action.
 * Not a member: AppError `not_found` (the project's existence is not revealed). A member below
 * `minimumRole`: AppError `forbidden`. Returns the caller's role.
 */
export async function requireProjectRole({
  userId,
  projectId,
  minimumRole = "annotator",
}: {
  userId: string;
  projectId: string;
  minimumRole?: MemberRoleName;
}): Promise<MemberRoleName> {
  const membership = await db.membership.findUnique({
    where: { projectId_userId: { projectId, userId } },
    select: { role: true },
  });
  if (!membership) throw new AppError("not_found", "No such project, or you are not a member of it.");
  if (!hasRole(membership.role, minimumRole)) {
    throw new AppError("forbidden", `Only ${whatEachRoleMayDo[minimumRole]} of this project may do this; you are ${membership.role === "annotator" ? "an" : "a"} ${membership.role}.`);
  }
  return membership.role;
}

/** requireProjectRole for the project an article belongs to; unknown articles are `not_found` too. */
export async function requireArticleRole({
  userId,
  articleId,
  minimumRole = "annotator",
}: {
  userId: string;
  articleId: string;
  minimumRole?: MemberRoleName;
}): Promise<{ projectId: string; role: MemberRoleName }> {
  const article = await db.article.findUnique({ where: { id: articleId }, select: { projectId: true } });
  if (!article) throw new AppError("not_found", "No such article, or you are not a member of its project.");
  const role = await requireProjectRole({ userId, projectId: article.projectId, minimumRole }).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "not_found") {
      throw new AppError("not_found", "No such article, or you are not a member of its project.");
    }
    throw error;
  });
  return { projectId: article.projectId, role };
}
