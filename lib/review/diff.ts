import type { AnnotationJson } from "@/lib/validation/annotation";
import { alignAnnotations } from "./align";
import { comparisonGroupKey } from "./group-key";
import { differenceKinds, type ComparisonGroup, type Difference, type GoldAnnotationJson } from "./types";

export interface DiffInput {
  /** The article's annotations; only live user-layer ones are compared. */
  annotations: readonly AnnotationJson[];
  /** Participating annotators, in the order members are listed; annotators of `annotations` not in it are added. */
  annotatorIds: readonly string[];
  /** The live gold layer of the article. */
  gold: readonly GoldAnnotationJson[];
  /** Keys of the groups a reviewer rejected. */
  rejectedGroupKeys?: Iterable<string>;
}

function differencesOf(members: readonly AnnotationJson[], participantCount: number): Difference[] {
  const [first, ...rest] = members;
  const found = new Set<Difference>();
  if (members.length < participantCount) found.add("missing");
  for (const other of rest) {
    if (other.start !== first!.start || other.end !== first!.end) found.add("boundary");
    if (first!.kind === "entity") {
      if (other.entityType !== first!.entityType) found.add("type");
      if (other.entityId !== first!.entityId) found.add("entity");
    } else {
      if (other.polarity !== first!.polarity) found.add("polarity");
      if (other.holderEntityId !== first!.holderEntityId || other.targetEntityId !== first!.targetEntityId) found.add("holder_target");
    }
  }
  return differenceKinds.filter((kind) => found.has(kind));
}

function compareByPosition(a: { start: number; end: number }, b: { start: number; end: number }): number {
  return a.start - b.start || a.end - b.end;
}

/** The span and labels of an annotation as one string: equal strings, same range and labels. */
export function spanAndLabelsKey(annotation: AnnotationJson): string {
  const labels = annotation.kind === "entity" ? [annotation.entityType, annotation.entityId] : [annotation.holderEntityId, annotation.targetEntityId, annotation.polarity];
  return JSON.stringify([annotation.kind, annotation.start, annotation.end, ...labels]);
}

/** Finds the gold item of a group: one derived from a member first, else one with a member's span and labels. */
function goldFinder(gold: readonly GoldAnnotationJson[]): (members: readonly AnnotationJson[]) => GoldAnnotationJson | null {
  if (gold.length === 0) return () => null;
  const ordered = [...gold].sort((a, b) => compareByPosition(a, b) || a.createdAt.localeCompare(b.createdAt) || (a.id < b.id ? -1 : 1));
  const rank = new Map(ordered.map((item, index) => [item.id, index]));
  const byDerivedId = new Map<string, GoldAnnotationJson>();
  const bySpanAndLabels = new Map<string, GoldAnnotationJson>();
  for (const item of ordered) {
    for (const id of item.derivedFromIds) if (!byDerivedId.has(id)) byDerivedId.set(id, item);
    if (!bySpanAndLabels.has(spanAndLabelsKey(item))) bySpanAndLabels.set(spanAndLabelsKey(item), item);
  }
  const first = (items: GoldAnnotationJson[]) => items.sort((a, b) => rank.get(a.id)! - rank.get(b.id)!)[0] ?? null;
  return (members: readonly AnnotationJson[]): GoldAnnotationJson | null =>
    first(members.flatMap((member) => byDerivedId.get(member.id) ?? [])) ?? first(members.flatMap((member) => bySpanAndLabels.get(spanAndLabelsKey(member)) ?? []));
}

/**
 * Lines up the annotators' live annotations of one article into comparison groups (see align.ts) and classifies
 * each: "agreed" when every participating annotator has a member and all members have the same range and labels,
 * else "disagreed" with what differs. Groups come sorted by start, then end, then key.
 */
export function diffAnnotations({ annotations, annotatorIds, gold, rejectedGroupKeys = [] }: DiffInput): ComparisonGroup[] {
  const live = annotations.filter((annotation) => annotation.layer === "user" && annotation.deletedAt === null && annotation.userId !== null);
  const participants = [...annotatorIds];
  for (const userId of [...new Set(live.map((annotation) => annotation.userId!))].sort()) if (!participants.includes(userId)) participants.push(userId);
  const rejected = new Set(rejectedGroupKeys);
  const findGold = goldFinder(gold.filter((item) => item.layer === "gold" && item.deletedAt === null));

  const groups = (["entity", "stance"] as const).flatMap((kind) =>
    alignAnnotations(live.filter((annotation) => annotation.kind === kind)).map((aligned): ComparisonGroup => {
      const members = [...aligned].sort((a, b) => participants.indexOf(a.userId!) - participants.indexOf(b.userId!));
      const key = comparisonGroupKey(kind, members.map((member) => member.id));
      const differences = differencesOf(members, participants.length);
      const groupGold = findGold(members);
      const isRejected = rejected.has(key);
      return {
        key,
        kind,
        start: Math.min(...members.map((member) => member.start)),
        end: Math.max(...members.map((member) => member.end)),
        members: Object.fromEntries(participants.map((userId) => [userId, members.find((member) => member.userId === userId) ?? null])),
        status: differences.length === 0 ? "agreed" : "disagreed",
        differences,
        gold: groupGold,
        rejected: isRejected,
        settled: groupGold !== null || isRejected,
      };
    }),
  );
  return groups.sort((a, b) => compareByPosition(a, b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
