import type { AnnotationJson } from "@/lib/validation/annotation";

/*
 * The review layer's shapes, shared by the server (lib/server/review) and the review UI. A comparison group lines
 * up the annotators' annotations of one span (see diff.ts); a reviewer settles it by putting it into gold or by
 * rejecting it.
 */

/** A gold-layer annotation with the annotator annotations it was settled from. */
export interface GoldAnnotationJson extends AnnotationJson {
  derivedFromIds: string[];
}

/** How the members of a comparison group differ, in this order. */
export const differenceKinds = ["missing", "boundary", "type", "entity", "polarity", "holder_target"] as const;
export type Difference = (typeof differenceKinds)[number];

export interface ComparisonGroup {
  /** Stable name of the group, from its kind and member ids (see group-key.ts): review notes refer to it. */
  key: string;
  kind: "entity" | "stance";
  /** The union of the members' ranges, UTF-16 code units. */
  start: number;
  end: number;
  /** One entry per participating annotator: their annotation in this group, or null. */
  members: Record<string, AnnotationJson | null>;
  status: "agreed" | "disagreed";
  differences: Difference[];
  /** The live gold item derived from a member, or with a member's span and labels. */
  gold: GoldAnnotationJson | null;
  rejected: boolean;
  /** Has gold, or was rejected. */
  settled: boolean;
}

/** A reviewer's note on, and/or decision about, one comparison group. `author` last changed it. */
export interface ReviewNoteJson {
  id: string;
  articleId: string;
  groupKey: string;
  decision: "rejected" | null;
  note: string | null;
  version: number;
  author: { id: string; name: string } | null;
  createdAt: string;
  updatedAt: string;
}

/** An annotator taking part in an article: one who annotated it, or said they finished it. */
export interface ReviewAnnotatorJson {
  id: string;
  name: string;
  email: string;
  status: "NEW" | "IN_PROGRESS" | "FINISHED";
}

/** GET /api/articles/:id/review */
export interface ArticleReviewJson {
  article: { id: string; title: string; version: number; reviewStatus: "NEEDS_REVIEW" | "IN_REVIEW" | "REVIEWED" };
  annotators: ReviewAnnotatorJson[];
  groups: ComparisonGroup[];
  gold: GoldAnnotationJson[];
  notes: ReviewNoteJson[];
}
