import "server-only";
import { sessionCookieName } from "./sessions";

function isHttps(request: Request): boolean {
  const forwarded = request.headers.get("x-forwarded-proto");
  return (forwarded ? forwarded.split(",")[0]?.trim() : new URL(request.url).protocol.replace(":", "")) === "https";
}

/** The session cookie: httpOnly, SameSite=Lax, Secure whenever the app is reached over HTTPS. */
export function sessionCookieHeader(request: Request, token: string, expiresAt: Date): string {
  const attributes = [`${sessionCookieName}=${token}`, "Path=/", "HttpOnly", "SameSite=Lax", `Expires=${expiresAt.toUTCString()}`];
  if (isHttps(request)) attributes.push("Secure");
  return attributes.join("; ");
}

export function clearedSessionCookieHeader(request: Request): string {
  const attributes = [`${sessionCookieName}=`, "Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=0"];
  if (isHttps(request)) attributes.push("Secure");
  return attributes.join("; ");
}
