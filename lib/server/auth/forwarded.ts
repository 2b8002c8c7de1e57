import "server-only";

/*
 * What a request says about its client when a reverse proxy stands in front of the app. X-Forwarded-For and
 * X-Forwarded-Proto are plain request headers anyone can send, so they are believed only when the operator says a
 * proxy sets them: SPANLIGHT_TRUST_PROXY=1 (or `true`) for one proxy, N for a chain of N proxies.
 */

/** How many reverse proxies in front of the app are trusted to append to X-Forwarded-For (0: none). */
export function trustedProxyHops(): number {
  const value = (process.env.SPANLIGHT_TRUST_PROXY ?? "").trim().toLowerCase();
  if (value === "true" || value === "yes") return 1;
  const hops = Number(value);
  return Number.isInteger(hops) && hops > 0 ? Math.min(hops, 10) : 0;
}

/**
 * The client's address as the outermost trusted proxy saw it, or null when no proxy is trusted (Next.js gives
 * route handlers no socket address, and the header alone is whatever the client wrote).
 * Each proxy appends the address it was connected from, so with N trusted proxies the client is the N-th entry
 * from the right; entries further left were written by the client and are ignored.
 */
export function clientAddress(request: Request): string | null {
  const hops = trustedProxyHops();
  if (!hops) return null;
  const entries = (request.headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (!entries.length) return null;
  const address = entries[Math.max(0, entries.length - hops)]!;
  return address.toLowerCase().slice(0, 100);
}

/**
 * Whether the browser reached the app over HTTPS: the request URL says so (Next.js builds it from the socket),
 * or a trusted proxy says so in X-Forwarded-Proto.
 */
export function isHttpsRequest(request: Request): boolean {
  if (new URL(request.url).protocol === "https:") return true;
  if (!trustedProxyHops()) return false;
  return request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase() === "https";
}
