import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/server/audit";
import { requireProjectRole } from "@/lib/server/authz";
import type { AddMemberInput } from "@/lib/validation/project";

const memberSelect = { role: true, createdAt: true, user: { select: { id: true, email: true, name: true } } } as const;

function toMember({ role, createdAt, user }: { role: AddMemberInput["role"]; createdAt: Date; user: { id: string; email: string; name: string } }) {
  return { userId: user.id, email: user.email, name: user.name, role, addedAt: createdAt };
}

export async function listMembers({ userId, projectId }: { userId: string; projectId: string }) {
  await requireProjectRole({ userId, projectId });
  const rows = await db.membership.findMany({ where: { projectId }, select: memberSelect, orderBy: { createdAt: "asc" } });
  return rows.map(toMember);
}

/**
 * Adds an existing account to the project (owners only). Throws `validation_failed` when no account uses the
 * email and `already_exists` when the person is already a member.
 */
export async function addMember({ actorId, projectId, email, role }: { actorId: string; projectId: string } & AddMemberInput) {
  await requireProjectRole({ userId: actorId, projectId, minimumRole: "owner" });
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { email }, select: { id: true } });
    if (!user) throw new AppError("validation_failed", `No Spanlight account uses ${email}. Ask them to sign up first, then add them.`);
    const existing = await tx.membership.findUnique({ where: { projectId_userId: { projectId, userId: user.id } }, select: { role: true } });
    if (existing) throw new AppError("already_exists", `${email} is already a member of this project (as ${existing.role}).`);
    const membership = await tx.membership.create({ data: { projectId, userId: user.id, role }, select: memberSelect });
    await recordAudit(tx, { actorId, projectId, action: "member.add", objectType: "membership", objectId: user.id, after: { email, role } });
    return toMember(membership);
  });
}
