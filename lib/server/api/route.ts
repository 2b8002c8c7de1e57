import "server-only";
import { AppError } from "@/lib/errors";
import { authenticateRequest, type AuthMethod } from "@/lib/server/auth/current-user";
import type { SessionUser } from "@/lib/server/auth/sessions";
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

/** A public route handler: maps every thrown error to the API error shape. */
export function publicRoute<P extends Params = Params>(handler: (args: HandlerArgs<P>) => Promise<Response>) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    try {
      assertSameOrigin(request);
      return await handler({ request, params: await context.params });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** A route handler for signed-in callers (session cookie or API token); others get 401. */
export function authedRoute<P extends Params = Params>(
  handler: (args: HandlerArgs<P> & { user: SessionUser; authMethod: AuthMethod }) => Promise<Response>,
) {
  return publicRoute<P>(async ({ request, params }) => {
    const auth = await authenticateRequest(request);
    if (!auth) throw new AppError("unauthenticated", "Sign in first: send the session cookie from POST /api/auth/login, or Authorization: Bearer <token>.");
    return handler({ request, params, user: auth.user, authMethod: auth.method });
  });
}
