import "server-only";
import type { DbTransaction } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { GoldDraft } from "./gold-drafts";
import { readGoldAnnotation } from "./read-gold";

/**
 * Refuses (`conflict`, with the existing item in `details.annotation`) a gold item whose group is already settled
 * in gold: a live gold item derived from one of the same annotations, or with the same span and labels. Call under
 * lockArticleForReview, so that a second reviewer's write waits for the first and then sees it.
 */
export async function assertNotYetInGold(tx: DbTransaction, { articleVersionId, draft }: { articleVersionId: string; draft: GoldDraft }): Promise<void> {
  const { derivedFromIds, quote: _quote, ...spanAndLabels } = draft;
  const existing = await tx.annotation.findFirst({
    where: {
      articleVersionId,
      layer: "gold",
      deletedAt: null,
      OR: [spanAndLabels, ...(derivedFromIds.length > 0 ? [{ derivedFromIds: { hasSome: derivedFromIds } }] : [])],
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true },
  });
  if (!existing) return;
  throw new AppError(
    "conflict",
    `This is already in the gold layer as gold item ${existing.id}, perhaps written a moment ago by another reviewer. Reload the review; to change that item, PATCH /api/annotations/${existing.id}.`,
    { annotation: await readGoldAnnotation(tx, existing.id) },
  );
}
