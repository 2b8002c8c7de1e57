import "server-only";
import type { DbTransaction } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { resolveLabels } from "@/lib/server/annotations/create-annotation";
import { assertSpan } from "@/lib/server/annotations/current-text";
import type { GoldItemInput } from "@/lib/validation/review";

/** The columns of a gold item to be written. */
export interface GoldDraft {
  kind: "entity" | "stance";
  start: number;
  end: number;
  quote: string;
  entityTypeId: string | null;
  entityId: string | null;
  holderEntityId: string | null;
  targetEntityId: string | null;
  polarityId: string | null;
  derivedFromIds: string[];
}

const goldDraftFields = {
  kind: true,
  start: true,
  end: true,
  quote: true,
  entityTypeId: true,
  entityId: true,
  holderEntityId: true,
  targetEntityId: true,
  polarityId: true,
} as const;

type CurrentText = { id: string; version: number; text: string };

/**
 * A copy of an annotator's annotation (same span and labels, derived from it), which is share-locked so that its
 * annotator cannot change it before the copy is written. Throws `not_found` for an annotation that is not on
 * this article, `validation_failed` for a gold, deleted or outdated one.
 */
export async function draftFromAnnotation(tx: DbTransaction, { articleId, current, annotationId }: { articleId: string; current: CurrentText; annotationId: string }): Promise<GoldDraft> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Annotation" WHERE "id" = ${annotationId} AND "articleId" = ${articleId} FOR SHARE`;
  const source = locked.length
    ? await tx.annotation.findUnique({ where: { id: annotationId }, select: { ...goldDraftFields, id: true, layer: true, articleVersionId: true, deletedAt: true } })
    : null;
  if (!source) {
    throw new AppError(
      "not_found",
      `annotationId: there is no annotation ${JSON.stringify(annotationId)} on this article. Send the id of an annotator's annotation from GET /api/articles/:id/review.`,
      { field: "annotationId" },
    );
  }
  if (source.layer === "gold") {
    throw new AppError("validation_failed", "annotationId: this annotation is already in the gold layer. To change it, PATCH /api/annotations/:id.", { field: "annotationId" });
  }
  if (source.deletedAt) {
    throw new AppError("validation_failed", "annotationId: its annotator deleted this annotation; only live annotations can be put into gold.", { field: "annotationId" });
  }
  if (source.articleVersionId !== current.id) {
    throw new AppError(
      "validation_failed",
      `annotationId: this annotation was made on an older version of the article text (now version ${current.version}). Send a full annotation body on the current text instead.`,
      { field: "annotationId" },
    );
  }
  const { id, layer: _layer, articleVersionId: _version, deletedAt: _deletedAt, ...columns } = source;
  return { ...columns, derivedFromIds: [id] };
}

/** Checks that every id names a live annotator annotation on the current text of this article; `validation_failed` otherwise. */
async function requireDerivableAnnotations(tx: DbTransaction, { articleId, current, ids }: { articleId: string; current: CurrentText; ids: string[] }): Promise<string[]> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return [];
  const rows = await tx.annotation.findMany({
    where: { id: { in: wanted }, articleId, articleVersionId: current.id, layer: "user", deletedAt: null },
    select: { id: true },
  });
  const found = new Set(rows.map((row) => row.id));
  const missing = wanted.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new AppError(
      "validation_failed",
      `derivedFromIds: ${missing.map((id) => JSON.stringify(id)).join(", ")} ${missing.length === 1 ? "is not a live annotator annotation" : "are not live annotator annotations"} ` +
        "on the current text of this article.",
      { field: "derivedFromIds", ids: missing },
    );
  }
  return wanted;
}

/**
 * A gold item from a full annotation body, as POST /api/articles/:id/annotations reads it (finding or creating the
 * canonical entity by name), derived from `derivedFromIds`. Throws `validation_failed` for a span that does not
 * fit the text, unknown labels, or derivedFromIds that are not annotator annotations of this article.
 */
export async function draftFromBody(
  tx: DbTransaction,
  { userId, projectId, articleId, current, input }: { userId: string; projectId: string; articleId: string; current: CurrentText; input: GoldItemInput },
): Promise<GoldDraft> {
  assertSpan(current, input);
  const labels = await resolveLabels(tx, { userId, projectId, input });
  const derivedFromIds = await requireDerivableAnnotations(tx, { articleId, current, ids: input.derivedFromIds ?? [] });
  return {
    start: input.start,
    end: input.end,
    quote: input.quote,
    entityTypeId: null,
    entityId: null,
    holderEntityId: null,
    targetEntityId: null,
    polarityId: null,
    ...labels,
    derivedFromIds,
  };
}
