import "server-only";
import { db, type DbTransaction } from "@/lib/db";
import { generateSecret, hashSecret } from "./secret-token";

export const sessionCookieName = "spanlight_session";
export const sessionLifetimeMs = 30 * 24 * 60 * 60 * 1000;
const lastSeenResolutionMs = 60 * 60 * 1000;

export interface SessionUser {
  id: string;
  email: string;
  name: string;
}

/**
 * Starts a session with a new random id; returns the secret for the cookie (shown nowhere else). `client` is the
 * caller's transaction when the session belongs with other writes (a password change).
 */
export async function createSession(userId: string, userAgent?: string | null, tx?: DbTransaction) {
  const token = generateSecret();
  const expiresAt = new Date(Date.now() + sessionLifetimeMs);
  const data = { userId, tokenHash: hashSecret(token), expiresAt, userAgent: userAgent?.slice(0, 500) };
  await (tx ? tx.session.create({ data, select: { id: true } }) : db.session.create({ data, select: { id: true } }));
  return { token, expiresAt };
}

/** The user of a live session, or null. Extends a session that is in use. */
export async function findSessionUser(token: string): Promise<SessionUser | null> {
  // One query (every authenticated request starts here).
  const [row] = await db.$queryRaw<{ id: string; expiresAt: Date; lastSeenAt: Date; userId: string; email: string; name: string }[]>`
    SELECT s."id", s."expiresAt", s."lastSeenAt", u."id" AS "userId", u."email", u."name"
    FROM "Session" s JOIN "User" u ON u."id" = s."userId"
    WHERE s."tokenHash" = ${hashSecret(token)}`;
  if (!row) return null;
  const session = { ...row, user: { id: row.userId, email: row.email, name: row.name } };
  const now = Date.now();
  if (session.expiresAt.getTime() <= now) {
    await db.session.deleteMany({ where: { id: session.id } });
    return null;
  }
  if (now - session.lastSeenAt.getTime() > lastSeenResolutionMs) {
    await db.session.updateMany({
      where: { id: session.id },
      data: { lastSeenAt: new Date(now), expiresAt: new Date(now + sessionLifetimeMs) },
    });
  }
  return session.user;
}

export async function deleteSession(token: string): Promise<void> {
  await db.session.deleteMany({ where: { tokenHash: hashSecret(token) } });
}
