import { z } from "zod";
import { entityNameSchema } from "./entity";

/*
 * Request schemas for annotations, shared by the reader UI and the route handlers. Offsets are half-open
 * [start, end) in UTF-16 code units over the article's current text; whether they fit that text (range,
 * surrogate pairs, quote) is checked on the server with lib/text/offsets.ts checkSpan, which needs the text.
 */

export const annotationLayers = ["mine", "gold", "all"] as const;
export type AnnotationLayerFilter = (typeof annotationLayers)[number];

export const annotatorStatuses = ["NEW", "IN_PROGRESS", "FINISHED"] as const;
export type AnnotatorStatusName = (typeof annotatorStatuses)[number];

const offset = z
  .int({ error: "Send a whole number: an offset into the article text in UTF-16 code units." })
  .min(0, { error: "Offsets start at 0." });

const quote = z.string({ error: "Send the exact text between start and end." });
const entityId = (what: string) => z.string({ error: `Send the id of ${what}.` }).trim().min(1, { error: `Send the id of ${what}.` }).max(100);
const tagName = (example: string) =>
  z.string({ error: `Send a tag name such as ${example}.` }).trim().min(1, { error: `Send a tag name such as ${example}.` }).max(100);
const idempotencyKey = z
  .string({ error: "Send a string, or leave it out." })
  .min(1, { error: "Send a non-empty string, or leave it out." })
  .max(100, { error: "Use at most 100 characters." })
  .optional();

/** Cross-field rule shared by create and patch: start < end (the rest needs the text, see checkSpan). */
function checkOrder(value: { start?: number; end?: number }, ctx: z.RefinementCtx) {
  if (value.start !== undefined && value.end !== undefined && value.start >= value.end) {
    ctx.addIssue({ code: "custom", message: `start (${value.start}) must be less than end (${value.end}).` });
  }
}

const entityAnnotationSchema = z
  .object({
    kind: z.literal("entity"),
    start: offset,
    end: offset,
    quote,
    /** Link to an existing canonical entity of the project; the mention's type defaults to the entity's type. */
    entityId: entityId("an entity of this project").optional(),
    /** Tag name such as "PER": with entityName, finds or creates the canonical entity; with entityId, overrides the mention's type. */
    entityType: tagName('"PER"').optional(),
    entityName: entityNameSchema.optional(),
    idempotencyKey,
  })
  .superRefine((value, ctx) => {
    checkOrder(value, ctx);
    if (value.entityId !== undefined && value.entityName !== undefined) {
      ctx.addIssue({ code: "custom", message: "Send either entityId or entityType with entityName, not both." });
    } else if (value.entityId === undefined && (value.entityName === undefined || value.entityType === undefined)) {
      ctx.addIssue({ code: "custom", message: "An entity mention needs entityId, or entityType (e.g. \"PER\") with entityName." });
    }
  });

const stanceAnnotationSchema = z
  .object({
    kind: z.literal("stance"),
    start: offset,
    end: offset,
    quote,
    holderEntityId: entityId("the entity who holds the stance"),
    targetEntityId: entityId("the entity the stance is about"),
    polarity: tagName('"AGAINST"'),
    idempotencyKey,
  })
  .superRefine(checkOrder);

/** POST /api/articles/:id/annotations */
export const createAnnotationSchema = z.discriminatedUnion("kind", [entityAnnotationSchema, stanceAnnotationSchema], {
  error: 'Send "entity" or "stance".',
});
export type CreateAnnotationInput = z.infer<typeof createAnnotationSchema>;

export const maxAnnotationsPerBatch = 1000;

/** POST /api/articles/:id/annotations with `{annotations: [...]}`: up to 1,000 creates, all or none. */
export const createAnnotationsSchema = z.object({
  annotations: z
    .array(createAnnotationSchema, { error: "Send annotations as a list of annotation bodies." })
    .min(1, { error: "Send at least one annotation." })
    .max(maxAnnotationsPerBatch, { error: `Send at most ${maxAnnotationsPerBatch} annotations per request; split the rest into further requests.` }),
});

/**
 * PATCH /api/annotations/:id. `version` is the version you read (optimistic concurrency). start, end and quote
 * move the boundaries and go together. Entity mentions: entityId relinks (the type follows the entity unless
 * entityType is sent too); entityName (with entityType, or the current type) finds or creates the entity;
 * entityType alone changes the mention's type and keeps its entity. Stances: holderEntityId, targetEntityId, polarity.
 */
export const updateAnnotationSchema = z
  .object({
    version: z.int({ error: "Send the annotation's version you last read." }).min(1, { error: "Versions start at 1." }),
    start: offset.optional(),
    end: offset.optional(),
    quote: quote.optional(),
    entityType: tagName('"PER"').optional(),
    entityId: entityId("an entity of this project").optional(),
    entityName: entityNameSchema.optional(),
    holderEntityId: entityId("the entity who holds the stance").optional(),
    targetEntityId: entityId("the entity the stance is about").optional(),
    polarity: tagName('"AGAINST"').optional(),
  })
  .superRefine((value, ctx) => {
    const boundaries = [value.start, value.end, value.quote].filter((field) => field !== undefined).length;
    if (boundaries !== 0 && boundaries !== 3) {
      ctx.addIssue({ code: "custom", message: "To move an annotation, send start, end and quote together." });
    }
    checkOrder(value, ctx);
    if (value.entityId !== undefined && value.entityName !== undefined) {
      ctx.addIssue({ code: "custom", message: "Send either entityId or entityName, not both." });
    }
    const { version: _version, ...changes } = value;
    if (Object.values(changes).every((field) => field === undefined)) {
      ctx.addIssue({ code: "custom", message: "Nothing to change: send start/end/quote, an entity field or a stance field with version." });
    }
  });
export type UpdateAnnotationInput = z.infer<typeof updateAnnotationSchema>;

/** GET /api/articles/:id/annotations?layer= */
export const listAnnotationsQuerySchema = z.object({
  layer: z.enum(annotationLayers, { error: `Send one of ${annotationLayers.join(", ")}.` }).default("mine"),
});

/** ?version=N on DELETE /api/annotations/:id and POST /api/annotations/:id/restore: refuse if it changed since. */
export const expectedVersionQuerySchema = z.object({
  version: z.coerce
    .number({ error: "Send a whole number." })
    .int({ error: "Send a whole number." })
    .min(1, { error: "Versions start at 1." })
    .optional(),
});

/** PUT /api/articles/:id/status: my progress on the article. */
export const annotatorStatusSchema = z.object({
  status: z.enum(annotatorStatuses, { error: `Send one of ${annotatorStatuses.join(", ")}.` }),
});
export type AnnotatorStatusInput = z.infer<typeof annotatorStatusSchema>;

/**
 * The annotation as every endpoint returns it. Offsets are UTF-16 code units over the text of `articleVersion`;
 * `annotator` is null in the gold layer; `entityType` is the mention's own label and may differ from the
 * linked entity's type; `deletedAt` is set only on a soft-deleted annotation (restorable).
 */
export interface AnnotationJson {
  id: string;
  articleId: string;
  articleVersion: number;
  layer: "user" | "gold";
  userId: string | null;
  annotator: { id: string; name: string } | null;
  kind: "entity" | "stance";
  start: number;
  end: number;
  quote: string;
  entityType: string | null;
  entityId: string | null;
  entity: { id: string; name: string; type: string; aliases: string[] } | null;
  holderEntityId: string | null;
  targetEntityId: string | null;
  holder: { id: string; name: string; type: string } | null;
  target: { id: string; name: string; type: string } | null;
  polarity: string | null;
  note: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}
