import "server-only";
import { z } from "zod";

/*
 * The audit log stores an annotation's before/after as the API's annotation JSON (serializeAnnotation). History
 * shows them in readable form: names instead of ids, and the fields that changed as "before → after" strings.
 * Old or foreign snapshots that do not fit are shown as null rather than failing the whole history.
 */

const reference = z.object({ name: z.string(), type: z.string().optional() }).nullable().optional();

/** The part of an audited annotation snapshot that history reads; everything else is ignored. */
const snapshotSchema = z.object({
  kind: z.enum(["entity", "stance"]),
  start: z.number(),
  end: z.number(),
  quote: z.string(),
  articleVersion: z.number().optional(),
  entityType: z.string().nullable().optional(),
  entity: reference,
  holder: reference,
  target: reference,
  polarity: z.string().nullable().optional(),
  note: z.string().nullable().optional(),
  version: z.number().optional(),
  deletedAt: z.string().nullable().optional(),
  /** Set on the restore events of one layer restore (POST /api/articles/:id/layers/restore). */
  batchId: z.string().optional(),
});

/** An annotation as history shows it. Offsets are UTF-16 code units, as everywhere in the API. */
export interface ReadableAnnotation {
  kind: "entity" | "stance";
  start: number;
  end: number;
  quote: string;
  articleVersion: number | null;
  /** Entity mentions: the mention's type label, e.g. "PER". */
  entityType: string | null;
  /** Entity mentions: the linked canonical entity, "name (TYPE)". */
  entity: string | null;
  /** Stances: holder and target entities, "name (TYPE)", and the polarity. */
  holder: string | null;
  target: string | null;
  polarity: string | null;
  note: string | null;
  deleted: boolean;
  /** The annotation's version after this state (optimistic concurrency), when recorded. */
  version: number | null;
}

export const changeFields = ["boundaries", "entityType", "entity", "holder", "target", "polarity", "note", "deleted"] as const;
export type ChangeField = (typeof changeFields)[number];

export interface FieldChange {
  field: ChangeField;
  /** What a person calls the field: "Boundaries", "Entity type", … */
  label: string;
  before: string | null;
  after: string | null;
}

const fieldLabels: Record<ChangeField, string> = {
  boundaries: "Boundaries",
  entityType: "Entity type",
  entity: "Entity",
  holder: "Holder",
  target: "Target",
  polarity: "Polarity",
  note: "Note",
  deleted: "State",
};

function referenceText(value: z.infer<typeof reference>): string | null {
  if (!value) return null;
  return value.type ? `${value.name} (${value.type})` : value.name;
}

/** Parses an audited snapshot; null when there is none or it is not an annotation. */
export function parseSnapshot(value: unknown): { annotation: ReadableAnnotation; batchId: string | null } | null {
  const parsed = snapshotSchema.safeParse(value);
  if (!parsed.success) return null;
  const snapshot = parsed.data;
  const annotation: ReadableAnnotation = {
    kind: snapshot.kind,
    start: snapshot.start,
    end: snapshot.end,
    quote: snapshot.quote,
    articleVersion: snapshot.articleVersion ?? null,
    entityType: snapshot.entityType ?? null,
    entity: referenceText(snapshot.entity),
    holder: referenceText(snapshot.holder),
    target: referenceText(snapshot.target),
    polarity: snapshot.polarity ?? null,
    note: snapshot.note ?? null,
    deleted: Boolean(snapshot.deletedAt),
    version: snapshot.version ?? null,
  };
  return { annotation, batchId: snapshot.batchId ?? null };
}

/** The span as text: `[start, end) “quote”`. */
export function boundariesText(annotation: Pick<ReadableAnnotation, "start" | "end" | "quote">): string {
  return `[${annotation.start}, ${annotation.end}) “${annotation.quote}”`;
}

function fieldText(annotation: ReadableAnnotation, field: ChangeField): string | null {
  if (field === "boundaries") return boundariesText(annotation);
  if (field === "deleted") return annotation.deleted ? "deleted" : "live";
  return annotation[field];
}

/** The fields that differ between two states, in a fixed order; every field of `after` when there is no `before`. */
export function listChanges(before: ReadableAnnotation | null, after: ReadableAnnotation | null): FieldChange[] {
  if (!after) return [];
  return changeFields.flatMap((field) => {
    const next = fieldText(after, field);
    const previous = before ? fieldText(before, field) : null;
    if (before ? previous === next : next === null || field === "deleted") return [];
    return [{ field, label: fieldLabels[field], before: previous, after: next }];
  });
}

/** One line a person reads: what the annotation is (type, entity or stance). */
export function describeLabel(annotation: ReadableAnnotation): string {
  if (annotation.kind === "stance") return `stance: ${annotation.holder ?? "?"} ${annotation.polarity ?? "?"} ${annotation.target ?? "?"}`;
  return `${annotation.entityType ?? "?"} mention of ${annotation.entity ?? "no entity"}`;
}

const actionLabels: Record<string, string> = {
  "annotation.create": "Created",
  "annotation.update": "Changed",
  "annotation.delete": "Deleted",
  "annotation.restore": "Restored",
};

/** The event's verb: "Created", "Changed", "Deleted", "Restored", "Restored with its layer"; unknown actions as they are. */
export function labelAction(action: string, batchId: string | null): string {
  if (action === "annotation.restore" && batchId) return "Restored with its layer";
  return actionLabels[action] ?? action;
}

/** One sentence for an event: "Created PER mention of …", "Changed Entity type: PER → ORG", "Deleted", "Restored". */
export function summarizeEvent(action: string, after: ReadableAnnotation | null, changes: FieldChange[], batchId: string | null): string {
  const label = labelAction(action, batchId);
  if (action === "annotation.create" && after) return `${label} ${describeLabel(after)} at ${boundariesText(after)}`;
  if (action === "annotation.update") {
    const changed = changes.map((change) => `${change.label}: ${change.before ?? "none"} → ${change.after ?? "none"}`);
    return changed.length ? `${label} ${changed.join("; ")}` : label;
  }
  return label;
}
