import "server-only";
import type { DbTransaction } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { readAnnotation } from "./read-annotation";
import { serializeAnnotation } from "./serialize";

/** Locks the annotation row for the rest of the transaction and reads it; `not_found` if it vanished meanwhile. */
export async function lockAnnotation(tx: DbTransaction, annotationId: string) {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Annotation" WHERE "id" = ${annotationId} FOR UPDATE`;
  if (locked.length === 0) throw new AppError("not_found", "No such annotation, or you cannot see it.");
  return readAnnotation(tx, annotationId);
}

export type LockedAnnotation = Awaited<ReturnType<typeof lockAnnotation>>;

/**
 * Optimistic concurrency: throws `stale_version` (409) with the current annotation when `expected` is given and
 * is not its version, so the client can show what changed and retry.
 */
export function assertVersion(annotation: LockedAnnotation, expected: number | undefined): void {
  if (expected === undefined || expected === annotation.version) return;
  throw new AppError(
    "stale_version",
    `This annotation is at version ${annotation.version}, not the version ${expected} you sent: it changed since you read it. Reload it and try again.`,
    { currentVersion: annotation.version, annotation: serializeAnnotation(annotation) },
  );
}
