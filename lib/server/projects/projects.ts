import "server-only";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/server/audit";
import { requireProjectRole } from "@/lib/server/authz";
import type { MemberRoleName } from "@/lib/validation/project";
import { defaultTagSetData } from "./tag-set";

export interface ProjectSummary {
  id: string;
  name: string;
  description: string;
  role: MemberRoleName;
  isDemo: boolean;
  articleCount: number;
  createdAt: Date;
}

/** The projects the user belongs to, with their role, newest first. */
export async function listProjectsForUser({ userId }: { userId: string }): Promise<ProjectSummary[]> {
  const memberships = await db.membership.findMany({
    where: { userId },
    select: {
      role: true,
      project: { select: { id: true, name: true, description: true, isDemo: true, createdAt: true, _count: { select: { articles: true } } } },
    },
    orderBy: { project: { createdAt: "desc" } },
  });
  return memberships.map(({ role, project: { _count, ...project } }) => ({ ...project, role, articleCount: _count.articles }));
}

/** Creates a project with the default tag set; the creator becomes its owner. */
export async function createProject({ userId, name, description = "" }: { userId: string; name: string; description?: string }) {
  return db.$transaction(async (tx) => {
    const project = await tx.project.create({
      data: { name, description, memberships: { create: { userId, role: "owner" } }, ...defaultTagSetData() },
      select: { id: true, name: true, description: true, isDemo: true, createdAt: true },
    });
    await recordAudit(tx, { actorId: userId, projectId: project.id, action: "project.create", objectType: "project", objectId: project.id, after: { name, description } });
    return { ...project, role: "owner" as const, articleCount: 0 };
  });
}

/** A project as its member sees it, with the tag set. Throws `not_found` for non-members. */
export async function getProjectForMember({ userId, projectId }: { userId: string; projectId: string }) {
  const role = await requireProjectRole({ userId, projectId });
  const project = await db.project.findUniqueOrThrow({
    where: { id: projectId },
    select: {
      id: true,
      name: true,
      description: true,
      isDemo: true,
      createdAt: true,
      entityTypes: { select: { id: true, name: true, color: true }, orderBy: { position: "asc" } },
      polarities: { select: { id: true, name: true }, orderBy: { position: "asc" } },
    },
  });
  return { ...project, role };
}
