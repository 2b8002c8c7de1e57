import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/server/audit";
import type { ChangePasswordInput } from "@/lib/validation/auth";
import { withLoginThrottle } from "./login-throttle";
import { hashPassword, verifyPassword } from "./password";
import { createSession, type SessionUser } from "./sessions";

export interface ChangePasswordOutcome {
  /** The caller's new session (when `newSessionFor` was given): its secret goes into the cookie. */
  session: { token: string; expiresAt: Date } | null;
  endedSessions: number;
  revokedApiTokens: number;
}

/**
 * Changes `user`'s password after checking the current one, and ends every session of the account (a stolen
 * cookie stops working). With `newSessionFor` the caller gets a fresh session in the same transaction; with
 * `input.revokeApiTokens` every personal API token is revoked too (tokens are kept by default: scripts hold them,
 * and they are listed and revoked one by one on the API tokens page).
 * The current password counts against the account's sign-in limit, so a stolen session cannot guess it.
 * Throws `validation_failed` (wrong current password), `too_many_requests`, `conflict` (changed meanwhile).
 */
export async function changePassword({
  user,
  input,
  address,
  newSessionFor,
}: {
  user: SessionUser;
  input: ChangePasswordInput;
  address: string | null;
  newSessionFor?: { userAgent: string | null };
}): Promise<ChangePasswordOutcome> {
  const { passwordHash: oldHash } = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } });
  await withLoginThrottle({ email: user.email, address }, async () => {
    if (!(await verifyPassword(oldHash, input.currentPassword))) {
      const message = "The current password is not right. Enter the password you signed in with.";
      throw new AppError("validation_failed", message, { issues: [{ path: "currentPassword", message }] });
    }
  });
  const passwordHash = await hashPassword(input.newPassword);
  return db.$transaction(async (tx) => {
    // Only over the hash that was checked: a change in between (another tab) wins, this one is refused.
    const { count } = await tx.user.updateMany({ where: { id: user.id, passwordHash: oldHash }, data: { passwordHash, passwordChangedAt: new Date() } });
    if (!count) throw new AppError("conflict", "Your password was changed meanwhile, in another window. Sign in again with the new password.");
    const { count: endedSessions } = await tx.session.deleteMany({ where: { userId: user.id } });
    const { count: revokedApiTokens } = input.revokeApiTokens
      ? await tx.apiToken.updateMany({ where: { userId: user.id, revokedAt: null }, data: { revokedAt: new Date() } })
      : { count: 0 };
    const session = newSessionFor ? await createSession(user.id, newSessionFor.userAgent, tx) : null;
    await recordAudit(tx, { actorId: user.id, action: "user.password_change", objectType: "user", objectId: user.id, after: { endedSessions, revokedApiTokens } });
    return { session, endedSessions, revokedApiTokens };
  });
}
