import { annotationAt, type LabelColumns, type PackedEntity, type ReaderAnnotation } from "@/lib/reader/packed-annotations";
import type { AnnotationJson } from "@/lib/validation/annotation";
import { differenceKinds, type ArticleReviewJson, type ComparisonGroup, type Difference } from "./types";

/*
 * An article's review packed in columns for the review page and `GET /api/articles/:id/review?packed=1`: three
 * annotators with 10,000 annotations each are 20 MB as objects, a few as columns. Every annotation (user layers and
 * gold) is listed once; groups refer to annotations by index; quotes are sliced from the text; timestamps are left
 * out (the review view does not show them).
 */

export interface PackedReview {
  article: ArticleReviewJson["article"];
  annotators: ArticleReviewJson["annotators"];
  notes: ArticleReviewJson["notes"];
  entities: PackedEntity[];
  /** Every annotation once: the reader's label columns, plus whose it is and (gold) what it was settled from. */
  annotations: LabelColumns & {
    id: string[];
    /** Index into `annotators`, or -1 for gold. */
    annotator: number[];
    /** Gold items only; null for annotator annotations. */
    derivedFromIds: (string[] | null)[];
  };
  groups: {
    key: string[];
    kind: string;
    start: number[];
    end: number[];
    /** Per group, per annotator (in `annotators` order): the member's index in `annotations`, -1 for none. */
    members: number[][];
    /** Index of the group's gold item in `annotations`, -1 for none. */
    gold: number[];
    /** Bit i set: differenceKinds[i] differs. */
    differences: number[];
    /** "a" agreed, "d" disagreed. */
    status: string;
    /** "1" rejected, "0" not. */
    rejected: string;
  };
}

export type ReviewAnnotation = ReaderAnnotation & { derivedFromIds?: string[] };
export type GoldView = ReaderAnnotation & { derivedFromIds: string[] };
export interface ReviewGroupView extends Omit<ComparisonGroup, "members" | "gold"> {
  members: Record<string, ReviewAnnotation | null>;
  gold: GoldView | null;
}
/** The review as the review view uses it: ArticleReviewJson without timestamps. */
export interface ReviewView {
  article: ArticleReviewJson["article"];
  annotators: ArticleReviewJson["annotators"];
  groups: ReviewGroupView[];
  gold: GoldView[];
  notes: ArticleReviewJson["notes"];
}

export function packReview(review: ArticleReviewJson): PackedReview {
  const annotatorIndex = new Map(review.annotators.map((annotator, index) => [annotator.id, index]));
  const entities = new Map<string, PackedEntity>();
  const labels: string[] = [];
  const labelIndex = new Map<string, number>();
  const labelOf = (name: string | null) => {
    if (name === null) return -1;
    if (!labelIndex.has(name)) labelIndex.set(name, labels.push(name) - 1);
    return labelIndex.get(name)!;
  };
  const annotations: PackedReview["annotations"] = {
    id: [],
    annotator: [],
    kind: "",
    start: [],
    end: [],
    version: [],
    label: [],
    labels,
    entityId: [],
    holderEntityId: [],
    targetEntityId: [],
    note: [],
    derivedFromIds: [],
  };
  const kinds: string[] = [];
  const indexOf = new Map<string, number>();
  const add = (annotation: AnnotationJson, derivedFromIds: string[] | null) => {
    const known = indexOf.get(annotation.id);
    if (known !== undefined) return known;
    if (annotation.entity) entities.set(annotation.entity.id, annotation.entity);
    for (const reference of [annotation.holder, annotation.target]) {
      if (reference && !entities.has(reference.id)) entities.set(reference.id, { ...reference, aliases: [] });
    }
    const index = annotations.id.push(annotation.id) - 1;
    annotations.annotator.push(annotation.userId === null ? -1 : (annotatorIndex.get(annotation.userId) ?? -1));
    kinds.push(annotation.kind === "stance" ? "s" : "e");
    annotations.start.push(annotation.start);
    annotations.end.push(annotation.end);
    annotations.version.push(annotation.version);
    annotations.label.push(labelOf(annotation.kind === "stance" ? annotation.polarity : annotation.entityType));
    annotations.entityId.push(annotation.entityId);
    annotations.holderEntityId.push(annotation.holderEntityId);
    annotations.targetEntityId.push(annotation.targetEntityId);
    annotations.note.push(annotation.note);
    annotations.derivedFromIds.push(derivedFromIds);
    indexOf.set(annotation.id, index);
    return index;
  };
  for (const gold of review.gold) add(gold, gold.derivedFromIds);
  const groups: PackedReview["groups"] = { key: [], kind: "", start: [], end: [], members: [], gold: [], differences: [], status: "", rejected: "" };
  const groupKinds: string[] = [];
  const statuses: string[] = [];
  const rejected: string[] = [];
  for (const group of review.groups) {
    groups.key.push(group.key);
    groupKinds.push(group.kind === "stance" ? "s" : "e");
    groups.start.push(group.start);
    groups.end.push(group.end);
    groups.members.push(review.annotators.map((annotator) => (group.members[annotator.id] ? add(group.members[annotator.id]!, null) : -1)));
    groups.gold.push(group.gold ? add(group.gold, group.gold.derivedFromIds) : -1);
    groups.differences.push(group.differences.reduce((bits, difference) => bits | (1 << differenceKinds.indexOf(difference)), 0));
    statuses.push(group.status === "agreed" ? "a" : "d");
    rejected.push(group.rejected ? "1" : "0");
  }
  annotations.kind = kinds.join("");
  groups.kind = groupKinds.join("");
  groups.status = statuses.join("");
  groups.rejected = rejected.join("");
  return { article: review.article, annotators: review.annotators, notes: review.notes, entities: [...entities.values()], annotations, groups };
}

export function unpackReview(packed: PackedReview, text: string): ReviewView {
  const entities = new Map(packed.entities.map((entity) => [entity.id, entity]));
  const columns = packed.annotations;
  const annotations: ReviewAnnotation[] = columns.id.map((_, index) => {
    const annotator = columns.annotator[index]! >= 0 ? packed.annotators[columns.annotator[index]!]! : null;
    const owner = {
      articleId: packed.article.id,
      articleVersion: packed.article.version,
      layer: annotator ? ("user" as const) : ("gold" as const),
      userId: annotator?.id ?? null,
      annotator: annotator ? { id: annotator.id, name: annotator.name } : null,
    };
    const derivedFromIds = columns.derivedFromIds[index];
    return { ...annotationAt(columns, index, owner, text, entities), ...(derivedFromIds ? { derivedFromIds } : {}) };
  });
  const asGold = (index: number) => (index >= 0 ? (annotations[index] as GoldView) : null);
  const groups: ReviewGroupView[] = packed.groups.key.map((key, index) => {
    const gold = asGold(packed.groups.gold[index]!);
    const isRejected = packed.groups.rejected[index] === "1";
    const bits = packed.groups.differences[index]!;
    return {
      key,
      kind: packed.groups.kind[index] === "s" ? "stance" : "entity",
      start: packed.groups.start[index]!,
      end: packed.groups.end[index]!,
      members: Object.fromEntries(packed.annotators.map((annotator, position) => [annotator.id, packed.groups.members[index]![position]! >= 0 ? annotations[packed.groups.members[index]![position]!]! : null])),
      status: packed.groups.status[index] === "a" ? "agreed" : "disagreed",
      differences: differenceKinds.filter((_, bit) => (bits & (1 << bit)) !== 0) as Difference[],
      gold,
      rejected: isRejected,
      settled: gold !== null || isRejected,
    };
  });
  const gold = annotations.filter((annotation): annotation is GoldView => annotation.layer === "gold");
  return { article: packed.article, annotators: packed.annotators, groups, gold, notes: packed.notes };
}
