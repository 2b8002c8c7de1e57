import "server-only";
import { isHttpsRequest } from "./forwarded";
import { sessionCookieName } from "./sessions";

/*
 * The session cookie: HttpOnly (no script reads it), SameSite=Lax (not sent on cross-site POSTs; the Origin check
 * in lib/server/api/route.ts is the second wall), Path=/, and Secure whenever the app is reached over HTTPS
 * (see isHttpsRequest: the request URL, or X-Forwarded-Proto from a proxy trusted by SPANLIGHT_TRUST_PROXY).
 */
function attributes(request: Request): string[] {
  const list = ["Path=/", "HttpOnly", "SameSite=Lax"];
  if (isHttpsRequest(request)) list.push("Secure");
  return list;
}

export function sessionCookieHeader(request: Request, token: string, expiresAt: Date): string {
  return [`${sessionCookieName}=${token}`, ...attributes(request), `Expires=${expiresAt.toUTCString()}`].join("; ");
}

export function clearedSessionCookieHeader(request: Request): string {
  return [`${sessionCookieName}=`, ...attributes(request), "Max-Age=0"].join("; ");
}
