import fs from "node:fs";
import path from "node:path";
import type { callRoute } from "./api";

/*
 * Every route handler under app/api, found on disk and imported the way Next.js would: one entry per exported HTTP
 * method of each `route.ts`. The authorization matrix and the fuzz tests are driven by this list, so a new route
 * (or a new method on an old one) fails them until someone says how it should behave.
 */

export const httpMethods = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof httpMethods)[number];
export const writeMethods: readonly HttpMethod[] = ["POST", "PUT", "PATCH", "DELETE"];

export type RouteHandler = Parameters<typeof callRoute>[0];

export interface ApiRoute {
  /** "PATCH /api/annotations/[id]" */
  key: string;
  method: HttpMethod;
  /** "/api/annotations/[id]", as in the file system (route groups left out). */
  pattern: string;
  /** Path of the route.ts file from the repository root. */
  file: string;
  handler: RouteHandler;
}

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");

function findRouteFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return findRouteFiles(full);
      return /^route\.(ts|tsx|js|mjs)$/.test(entry.name) ? [full] : [];
    })
    .sort();
}

/** The URL pattern of a route file: app/api/articles/[id]/route.ts → /api/articles/[id]. */
export function routePattern(file: string): string {
  const segments = path.relative(path.join(root, "app"), path.dirname(file)).split(path.sep);
  return `/${segments.filter((segment) => !/^\(.*\)$/.test(segment)).join("/")}`;
}

/** Every exported HTTP method handler of every app/api/**\/route.ts, sorted by pattern then method. */
export async function discoverApiRoutes(): Promise<ApiRoute[]> {
  const routes: ApiRoute[] = [];
  for (const file of findRouteFiles(path.join(root, "app/api"))) {
    const module = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    const pattern = routePattern(file);
    for (const method of httpMethods) {
      const handler = module[method];
      if (handler === undefined) continue;
      if (typeof handler !== "function") throw new Error(`${file} exports ${method} that is not a function`);
      routes.push({ key: `${method} ${pattern}`, method, pattern, file: path.relative(root, file), handler: handler as RouteHandler });
    }
  }
  return routes;
}

/** encodeURIComponent, except that a lone surrogate (which it refuses) becomes "%EF%BF%BD" as a browser would send it. */
function safeEncode(value: string): string {
  return encodeURIComponent(value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD"));
}

/** The pattern with its [params] filled in (URL-encoded), and an optional query string. */
export function routePath(pattern: string, params: Record<string, string> = {}, query = ""): string {
  const filled = pattern.replace(/\[(\w+)\]/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`No value for [${name}] in ${pattern}`);
    return safeEncode(value);
  });
  return query ? `${filled}?${query.replace(/^\?/, "")}` : filled;
}
