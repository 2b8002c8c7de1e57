import "server-only";
import { db } from "@/lib/db";
import { generateSecret, hashSecret } from "./secret-token";
import type { SessionUser } from "./sessions";

const tokenPrefix = "spl_";

/** Creates a personal API token; the returned `token` is shown once and never stored. */
export async function createApiToken({ userId, name }: { userId: string; name: string }) {
  const token = generateSecret(tokenPrefix);
  const row = await db.apiToken.create({
    data: { userId, name, tokenHash: hashSecret(token), prefix: token.slice(0, tokenPrefix.length + 6) },
    select: { id: true, name: true, prefix: true, createdAt: true },
  });
  return { ...row, token };
}

export function listApiTokens({ userId }: { userId: string }) {
  return db.apiToken.findMany({
    where: { userId, revokedAt: null },
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true },
    orderBy: { createdAt: "desc" },
  });
}

export async function revokeApiToken({ userId, tokenId }: { userId: string; tokenId: string }): Promise<boolean> {
  const { count } = await db.apiToken.updateMany({ where: { id: tokenId, userId, revokedAt: null }, data: { revokedAt: new Date() } });
  return count > 0;
}

export async function findApiTokenUser(token: string): Promise<SessionUser | null> {
  if (!token.startsWith(tokenPrefix)) return null;
  const row = await db.apiToken.findUnique({
    where: { tokenHash: hashSecret(token) },
    select: { id: true, revokedAt: true, lastUsedAt: true, user: { select: { id: true, email: true, name: true } } },
  });
  if (!row || row.revokedAt) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db.apiToken.updateMany({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return row.user;
}
