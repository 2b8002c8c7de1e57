import "server-only";
import type { z } from "zod";
import { AppError } from "@/lib/errors";
import { hasLoneSurrogate, loneSurrogateMessage } from "@/lib/validation/text";

const defaultMaxBodyBytes = 1024 * 1024;

/**
 * Reads a request body, refusing (413) more than `maxBytes`: by Content-Length before reading, else while reading,
 * so an oversized body is never held in memory whole.
 */
export async function readBodyBytes(request: Request, maxBytes: number, tooLargeMessage: string): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw new AppError("payload_too_large", tooLargeMessage);
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new AppError("payload_too_large", tooLargeMessage);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** Reads a request body as UTF-8 text, refusing (413) more than `maxBytes` and (400) bytes that are not UTF-8. */
export async function readBodyText(request: Request, maxBytes = defaultMaxBodyBytes): Promise<string> {
  const body = await readBodyBytes(request, maxBytes, `The request body is larger than ${Math.round(maxBytes / 1024 / 1024)} MB. Send less at once.`);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    throw new AppError("bad_request", "The request body is not valid UTF-8. Send UTF-8 encoded JSON.");
  }
}

/** Parses a JSON body against a schema: 400 if it is not JSON, 422 (via ZodError) if it does not fit. */
export async function readJsonBody<Schema extends z.ZodType>(request: Request, schema: Schema, maxBytes?: number): Promise<z.output<Schema>> {
  const text = await readBodyText(request, maxBytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError("invalid_json", text.trim() ? "The request body is not valid JSON." : "The request body is empty; send a JSON object.");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new AppError("invalid_json", "The request body must be a JSON object.");
  }
  const unstorable = findUnstorableString(value);
  if (unstorable) {
    const where = unstorable.path || "The body";
    throw new AppError(
      "validation_failed",
      unstorable.problem === "nul"
        ? `${where} contains a NUL character (U+0000), which cannot be stored. Remove it and send again.`
        : `${where} ${loneSurrogateMessage}`,
      { field: unstorable.path },
    );
  }
  return schema.parse(value);
}

/** Paths in messages are cut here (a deeply nested body has a path as long as the body). */
const maxPathLength = 200;

interface Visit {
  value: unknown;
  key: string | number | null;
  parent: Visit | null;
}

/**
 * The first string (in document order) of a parsed JSON value for which `problemOf` names a problem, with its
 * dotted path. Walks with its own stack and builds the path only for the string it reports, so a body nested a
 * hundred thousand levels deep is judged in linear time, not a stack overflow.
 */
function findString<P>(value: unknown, path: (string | number)[], problemOf: (text: string) => P | null): { path: string; problem: P } | null {
  const stack: Visit[] = [{ value, key: null, parent: null }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    if (typeof visit.value === "string") {
      const problem = problemOf(visit.value);
      if (problem === null) continue;
      const keys: (string | number)[] = [];
      for (let at: Visit | null = visit; at?.key != null; at = at.parent) keys.push(at.key);
      const full = [...path, ...keys.reverse()].join(".");
      return { path: full.length > maxPathLength ? `${full.slice(0, maxPathLength)}…` : full, problem };
    }
    if (typeof visit.value !== "object" || visit.value === null) continue;
    const isArray = Array.isArray(visit.value);
    const entries = Object.entries(visit.value);
    for (let index = entries.length - 1; index >= 0; index--) {
      const [key, child] = entries[index]!;
      stack.push({ value: child, key: isArray ? Number(key) : key, parent: visit });
    }
  }
  return null;
}

/**
 * The first string that PostgreSQL cannot store as sent: one holding U+0000, or a lone surrogate (UTF-8 cannot
 * encode it; the database would store U+FFFD instead). Its dotted path and the problem, or null.
 */
export function findUnstorableString(value: unknown, path: (string | number)[] = []): { path: string; problem: "nul" | "lone_surrogate" } | null {
  return findString(value, path, (text) => (text.includes("\u0000") ? "nul" : hasLoneSurrogate(text) ? "lone_surrogate" : null));
}

/** The path of the first string holding U+0000 (PostgreSQL text cannot store it), or null. */
export function findNulCharacter(value: unknown, path: (string | number)[]): string | null {
  return findString(value, path, (text) => (text.includes("\u0000") ? true : null))?.path ?? null;
}
