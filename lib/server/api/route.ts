import "server-only";
import { AppError } from "@/lib/errors";
import { authenticateRequest, type AuthMethod } from "@/lib/server/auth/current-user";
import type { SessionUser } from "@/lib/server/auth/sessions";
import { hasLoneSurrogate } from "@/lib/validation/text";
import { errorResponse } from "./errors";

type Params = Record<string, string>;
interface RouteContext<P> {
  params: Promise<P>;
}

interface HandlerArgs<P> {
  request: Request;
  params: P;
}

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses cross-site writes (CSRF): a browser always sends Origin on a cross-origin POST/PATCH/DELETE.
 * Scripts send no Origin and authenticate with a bearer token or their own cookie jar.
 */
function assertSameOrigin(request: Request) {
  if (safeMethods.has(request.method)) return;
  const origin = request.headers.get("origin");
  if (!origin) {
    if (request.headers.get("sec-fetch-site") === "cross-site") throw new AppError("forbidden", "Cross-site requests are refused.");
    return;
  }
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  let originHost: string | null = null;
  try {
    originHost = new URL(origin).host;
  } catch {
    /* an unparsable Origin is refused below */
  }
  if (!host || originHost !== host) throw new AppError("forbidden", "Cross-site requests are refused.");
}

/** Longest path parameter taken for an id: ours are 25-character cuids; imported ones are never near this. */
const maxParamLength = 200;
const controlCharacter = /[\u0000-\u001f\u007f]/;

/**
 * Route parameters are ids: one that no id could be (empty, overlong, control characters such as U+0000 that the
 * database refuses in a query, lone surrogates) names nothing, so it is `not_found` before any lookup.
 */
function assertPlausibleParams(params: Params) {
  for (const value of Object.values(params)) {
    if (typeof value !== "string") continue;
    if (!value || value.length > maxParamLength || controlCharacter.test(value) || hasLoneSurrogate(value)) {
      throw new AppError("not_found", "No such object: the id in the URL is not one this server could have given out.");
    }
  }
}

/**
 * Query values reach database queries: U+0000 cannot be sent to PostgreSQL, so it is refused (422) up front.
 * Signed-in routes only: the public ones (sign-in, sign-out) read no query, and a sign-out must never be refused.
 */
function assertStorableQuery(request: Request) {
  for (const [name, value] of new URL(request.url).searchParams) {
    if (name.includes("\u0000") || value.includes("\u0000")) {
      throw new AppError("validation_failed", `The query parameter ${JSON.stringify(name.replaceAll("\u0000", "\\0"))} contains a NUL character (%00). Remove it and send again.`);
    }
  }
}

function mapErrors<P extends Params>(handler: (args: HandlerArgs<P>) => Promise<Response>) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    try {
      assertSameOrigin(request);
      // Next.js gives routes without dynamic segments no params at all.
      return await handler({ request, params: ((await context?.params) ?? {}) as P });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** A public route handler: maps every thrown error to the API error shape. */
export function publicRoute<P extends Params = Params>(handler: (args: HandlerArgs<P>) => Promise<Response>) {
  return mapErrors<P>(async ({ request, params }) => {
    assertPlausibleParams(params);
    return handler({ request, params });
  });
}

/** A route handler for signed-in callers (session cookie or API token); others get 401, whatever they asked. */
export function authedRoute<P extends Params = Params>(
  handler: (args: HandlerArgs<P> & { user: SessionUser; authMethod: AuthMethod }) => Promise<Response>,
) {
  return mapErrors<P>(async ({ request, params }) => {
    const auth = await authenticateRequest(request);
    if (!auth) throw new AppError("unauthenticated", "Sign in first: send the session cookie from POST /api/auth/login, or Authorization: Bearer <token>.");
    assertPlausibleParams(params);
    assertStorableQuery(request);
    return handler({ request, params, user: auth.user, authMethod: auth.method });
  });
}
