import { isErrorBody } from "@/lib/errors";

export type ApiResult<T> = { ok: true; data: T } | { ok: false; status: number; message: string };

/** Calls the public API from the browser; failures come back as a message to show, never as a throw. */
export async function callApi<T>(path: string, init: { method?: string; json?: unknown; body?: BodyInit } = {}): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? (init.json !== undefined || init.body ? "POST" : "GET"),
      headers: init.json !== undefined ? { "Content-Type": "application/json" } : undefined,
      body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
      credentials: "same-origin",
    });
  } catch {
    return { ok: false, status: 0, message: "The server could not be reached. Check your connection and try again." };
  }
  const payload: unknown = await response.json().catch(() => null);
  if (response.ok) return { ok: true, data: payload as T };
  return {
    ok: false,
    status: response.status,
    message: isErrorBody(payload) ? payload.error.message : `The server answered ${response.status}. Try again.`,
  };
}
