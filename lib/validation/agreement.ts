import { z } from "zod";

/*
 * GET /api/projects/:id/agreement: the query, and the body it answers with (computeAgreement's result, see
 * lib/agreement/compute-agreement.ts and DEFINITIONS.md, plus the `type` it was restricted to). The body schema
 * documents the contract and is what the integration tests check answers against; zod's z.number() refuses NaN
 * and ±Infinity, so a figure that is not a finite number fails it.
 */

/**
 * `?type=PER` restricts the mention figures (alpha, kappa, span F1) to one entity type of the project; an empty
 * `type=` (the page's "All types") means all of them.
 */
export const agreementQuerySchema = z.object({
  type: z
    .string({ error: "Send an entity type name such as PER, or leave type out." })
    .trim()
    .max(100, { error: "Entity type names are at most 100 characters." })
    .optional()
    .transform((value) => value || undefined),
});
export type AgreementQuery = z.infer<typeof agreementQuerySchema>;

/** A figure: a finite number, or null when it is undefined (a `…Reason` next to it says why). */
const figure = z.number().nullable();
const reason = z.string().min(1).optional();
const count = z.number().int().min(0);
const f1Counts = z.object({ tp: count, fp: count, fn: count });

export const agreementPairSchema = z.object({
  a: z.string(),
  b: z.string(),
  articles: count,
  tokens: count,
  tokenKappa: figure,
  tokenKappaReason: reason,
  spanF1: figure,
  spanF1Reason: reason,
  spanF1Overlap: figure,
  stanceF1: figure,
  stanceF1Reason: reason,
  counts: z.object({ exact: f1Counts, overlap: f1Counts, stance: f1Counts }),
});

export const agreementTypeSchema = z.object({
  tokenAlpha: figure,
  tokenAlphaReason: reason,
  spanF1: figure,
  spanF1Reason: reason,
  counts: f1Counts,
  mentions: z.record(z.string(), count),
});

export const agreementArticleSchema = z.object({
  id: z.string(),
  title: z.string(),
  annotators: count,
  tokens: count,
  tokenAlpha: figure,
  tokenAlphaReason: reason,
  spanF1: figure,
  spanF1Reason: reason,
  spanF1Overlap: figure,
  stanceF1: figure,
  stanceF1Reason: reason,
  disagreements: count,
});

export const agreementResponseSchema = z.object({
  /** The entity type the figures are restricted to (`?type=`), or null for all types. */
  type: z.string().nullable(),
  annotators: z.array(z.object({ id: z.string(), name: z.string(), articles: count, mentions: count, stances: count })),
  labels: z.array(z.string()),
  articles: count,
  tokenAlpha: figure,
  tokenAlphaReason: reason,
  tokens: count,
  tokensTotal: count,
  pairableValues: count,
  pairs: z.array(agreementPairSchema),
  perType: z.record(z.string(), agreementTypeSchema),
  perArticle: z.array(agreementArticleSchema),
  stance: z.object({ f1: figure, reason, tuples: count, counts: f1Counts }),
});
export type AgreementResponse = z.infer<typeof agreementResponseSchema>;
