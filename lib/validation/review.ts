import { z } from "zod";
import { createAnnotationSchema } from "./annotation";

/*
 * Request schemas of the review: the gold layer, review notes and decisions, the article's review status.
 * Reviewers and owners only; see docs/review-api.md.
 */

export const reviewStatuses = ["NEEDS_REVIEW", "IN_REVIEW", "REVIEWED"] as const;
export type ReviewStatusName = (typeof reviewStatuses)[number];

export const reviewDecisions = ["rejected"] as const;
export type ReviewDecisionName = (typeof reviewDecisions)[number];

const maxDerivedFromIds = 100;
export const maxReviewNoteLength = 5000;

const annotationId = (what: string) => z.string({ error: `Send the id of ${what}.` }).trim().min(1, { error: `Send the id of ${what}.` }).max(100);
const idempotencyKey = z
  .string({ error: "Send a string, or leave it out." })
  .min(1, { error: "Send a non-empty string, or leave it out." })
  .max(100, { error: "Use at most 100 characters." })
  .optional();

/** POST /api/articles/:id/gold {annotationId}: copy an annotator's annotation into gold. */
export const goldFromAnnotationSchema = z.strictObject(
  { annotationId: annotationId("the annotator annotation to put into gold"), idempotencyKey },
  { error: (issue) => (issue.code === "unrecognized_keys" ? `Send either {annotationId} or a full annotation body, not both (${issue.keys.join(", ")}).` : undefined) },
);
export type GoldFromAnnotationInput = z.infer<typeof goldFromAnnotationSchema>;

/** POST /api/articles/:id/gold with a full annotation body (as POST /api/articles/:id/annotations), optionally derivedFromIds. */
export const goldItemSchema = z.intersection(
  createAnnotationSchema,
  z.object({
    derivedFromIds: z
      .array(annotationId("an annotator annotation this gold item settles"), { error: "Send derivedFromIds as a list of annotation ids." })
      .max(maxDerivedFromIds, { error: `Send at most ${maxDerivedFromIds} derivedFromIds.` })
      .optional(),
  }),
);
export type GoldItemInput = z.infer<typeof goldItemSchema>;

export type GoldRequest = GoldFromAnnotationInput | GoldItemInput;

/** The body of POST /api/articles/:id/gold: `{annotationId}` copies an annotation, anything else is a full body. */
export function parseGoldRequest(body: Record<string, unknown>): GoldRequest {
  return "annotationId" in body ? goldFromAnnotationSchema.parse(body) : goldItemSchema.parse(body);
}

/** PUT /api/articles/:id/review-status */
export const reviewStatusSchema = z.object({
  status: z.enum(reviewStatuses, { error: `Send one of ${reviewStatuses.join(", ")}.` }),
});

const sendGroupKey = "Send the key of a comparison group from GET /api/articles/:id/review.";

/**
 * POST /api/articles/:id/review-notes: a note on and/or a decision about one comparison group. Leave a field out
 * to keep it, send null (or an empty note) to clear it. `version` is the version of the group's note you read;
 * leave it out when it has none yet.
 */
export const reviewNoteSchema = z
  .object({
    groupKey: z.string({ error: sendGroupKey }).trim().min(1, { error: sendGroupKey }).max(100, { error: sendGroupKey }),
    decision: z.enum(reviewDecisions, { error: `Send "rejected", or null to withdraw a rejection.` }).nullable().optional(),
    note: z
      .string({ error: "Send the note as text, or null to clear it." })
      .trim()
      .max(maxReviewNoteLength, { error: `Notes are limited to ${maxReviewNoteLength} characters.` })
      .transform((note) => note || null)
      .nullable()
      .optional(),
    version: z.int({ error: "Send the version of the note you last read." }).min(1, { error: "Versions start at 1." }).optional(),
  })
  .refine((value) => value.decision !== undefined || value.note !== undefined, { message: "Nothing to record: send a note, a decision, or both." });
export type ReviewNoteInput = z.infer<typeof reviewNoteSchema>;

/** GET /api/articles/:id/review */
export const reviewQuerySchema = z.object({
  packed: z
    .enum(["0", "1"], { error: 'Send packed=1 for the packed form, or leave it out.' })
    .optional()
    .transform((value) => value === "1"),
});
