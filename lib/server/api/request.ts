import "server-only";
import type { z } from "zod";
import { AppError } from "@/lib/errors";

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
  const nulPath = findNulCharacter(value, []);
  if (nulPath) {
    throw new AppError("validation_failed", `${nulPath || "The body"} contains a NUL character (U+0000), which cannot be stored. Remove it and send again.`);
  }
  return schema.parse(value);
}

/** The path of the first string holding U+0000 (PostgreSQL text cannot store it), or null. */
export function findNulCharacter(value: unknown, path: (string | number)[]): string | null {
  if (typeof value === "string") return value.includes("\u0000") ? path.join(".") : null;
  if (typeof value !== "object" || value === null) return null;
  for (const [key, child] of Object.entries(value)) {
    const found = findNulCharacter(child, [...path, Array.isArray(value) ? Number(key) : key]);
    if (found !== null) return found;
  }
  return null;
}
