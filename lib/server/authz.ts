import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { MemberRoleName } from "@/lib/validation/project";
import type { AnnotatorStatusName } from "@/lib/validation/annotation";

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
  assertRole(membership.role, minimumRole);
  return membership.role;
}

function assertRole(role: MemberRoleName, minimumRole: MemberRoleName): void {
  if (!hasRole(role, minimumRole)) {
    throw new AppError("forbidden", `Only ${whatEachRoleMayDo[minimumRole]} of this project may do this; you are ${role === "annotator" ? "an" : "a"} ${role}.`);
  }
}

/** requireProjectRole for the project an article belongs to; unknown articles are `not_found` too. One query. */
export async function requireArticleRole({
  userId,
  articleId,
  minimumRole = "annotator",
}: {
  userId: string;
  articleId: string;
  minimumRole?: MemberRoleName;
}): Promise<{ projectId: string; role: MemberRoleName; myStatus: AnnotatorStatusName }> {
  const [found] = await db.$queryRaw<{ projectId: string; role: MemberRoleName | null; status: AnnotatorStatusName | null }[]>`
    SELECT a."projectId", m."role"::text AS "role", s."status"::text AS "status"
    FROM "Article" a
    LEFT JOIN "Membership" m ON m."projectId" = a."projectId" AND m."userId" = ${userId}
    LEFT JOIN "AnnotatorArticleStatus" s ON s."articleId" = a."id" AND s."userId" = ${userId}
    WHERE a."id" = ${articleId}`;
  if (!found?.role) throw new AppError("not_found", "No such article, or you are not a member of its project.");
  assertRole(found.role, minimumRole);
  // The caller's own progress on the article comes along: a create then knows whether it starts their work.
  return { projectId: found.projectId, role: found.role, myStatus: found.status ?? "NEW" };
}
