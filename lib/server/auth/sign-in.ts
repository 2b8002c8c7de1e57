import "server-only";
import { clearedSessionCookieHeader, sessionCookieHeader } from "./cookie";
import { readCookie } from "./current-user";
import { createSession, deleteSession, sessionCookieName, type SessionUser } from "./sessions";

/**
 * Starts a fresh session for `user`: a new random id every time, and the session the browser came with (if any)
 * is deleted server-side, so a cookie planted before sign-in (session fixation) never becomes a signed-in one.
 */
export async function signInResponse(request: Request, user: SessionUser, status = 200): Promise<Response> {
  const previous = readCookie(request.headers.get("cookie"), sessionCookieName);
  if (previous) await deleteSession(previous);
  const { token, expiresAt } = await createSession(user.id, request.headers.get("user-agent"));
  return Response.json({ user }, { status, headers: { "Set-Cookie": sessionCookieHeader(request, token, expiresAt) } });
}

/** Ends the session server-side (its cookie then gets 401 everywhere) and clears the cookie. */
export async function signOutResponse(request: Request): Promise<Response> {
  const token = readCookie(request.headers.get("cookie"), sessionCookieName);
  if (token) await deleteSession(token);
  return Response.json({ ok: true }, { headers: { "Set-Cookie": clearedSessionCookieHeader(request) } });
}
