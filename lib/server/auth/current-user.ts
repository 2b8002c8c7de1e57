import "server-only";
import { cookies } from "next/headers";
import { findApiTokenUser } from "./api-tokens";
import { findSessionUser, sessionCookieName, type SessionUser } from "./sessions";

export type AuthMethod = "session" | "token";

/** The caller of an API request: `Authorization: Bearer <token>` first, then the session cookie. */
export async function authenticateRequest(request: Request): Promise<{ user: SessionUser; method: AuthMethod } | null> {
  const authorization = request.headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const user = match?.[1] ? await findApiTokenUser(match[1]) : null;
    return user ? { user, method: "token" } : null;
  }
  const token = readCookie(request.headers.get("cookie"), sessionCookieName);
  const user = token ? await findSessionUser(token) : null;
  return user ? { user, method: "session" } : null;
}

/** The signed-in user of the page being rendered, or null. */
export async function getPageUser(): Promise<SessionUser | null> {
  const token = (await cookies()).get(sessionCookieName)?.value;
  return token ? findSessionUser(token) : null;
}

export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const separator = part.indexOf("=");
    if (separator > 0 && part.slice(0, separator).trim() === name) {
      try {
        return decodeURIComponent(part.slice(separator + 1).trim());
      } catch {
        return null; // a mangled cookie is no session
      }
    }
  }
  return null;
}
