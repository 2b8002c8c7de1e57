import { readCookie } from "@/lib/server/auth/current-user";
import { sessionCookieName } from "@/lib/server/auth/sessions";

/*
 * Calls App Router route handlers in-process, with real Requests, against the test file's own database.
 * `as` authenticates: a session cookie string ("spanlight_session=…") or { token } for a bearer token.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- route handlers differ in their params type
type Handler = (request: Request, context: { params: Promise<any> }) => Promise<Response>;

export interface CallOptions {
  params?: Record<string, string>;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
  as?: string | { token: string } | null;
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export async function callRoute<T = any>(handler: Handler, method: string, path: string, options: CallOptions = {}): Promise<ApiResponse<T>> {
  const headers = new Headers(options.headers);
  if (options.json !== undefined) headers.set("content-type", "application/json");
  if (typeof options.as === "string") headers.set("cookie", options.as);
  else if (options.as) headers.set("authorization", `Bearer ${options.as.token}`);
  const request = new Request(`http://localhost${path}`, {
    method,
    headers,
    body: options.json !== undefined ? JSON.stringify(options.json) : options.body,
  });
  // As Next.js does: a route without dynamic segments gets no params.
  const response = await handler(request, { params: Promise.resolve(options.params) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: keep the text */
  }
  return { status: response.status, body: body as T, headers: response.headers };
}

/** The `name=value` part of the session cookie a response set, for use as `as`. */
export function sessionCookieFrom(response: ApiResponse): string {
  const header = response.headers.get("set-cookie");
  const value = readCookie(header?.split(";")[0] ?? null, sessionCookieName);
  if (!value) throw new Error(`No session cookie in response (status ${response.status})`);
  return `${sessionCookieName}=${value}`;
}

/** Asserts the API error shape of ../shared/API.md and returns the error. */
export function expectApiError(response: ApiResponse, status: number): { code: string; message: string } {
  if (response.status !== status) throw new Error(`Expected ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
  const error = (response.body as { error?: { code?: unknown; message?: unknown } })?.error;
  if (typeof error?.code !== "string" || typeof error.message !== "string" || error.message.length < 10) {
    throw new Error(`Not the API error shape: ${JSON.stringify(response.body)}`);
  }
  return error as { code: string; message: string };
}
