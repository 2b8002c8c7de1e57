import type { AnnotationJson } from "@/lib/validation/annotation";

/*
 * Greedy alignment of several annotators' annotations of one kind into groups holding at most one annotation per
 * annotator. Two annotations of different annotators are candidates for one group when their ranges overlap, or,
 * for stances, when they name the same holder and target. Candidate pairs are taken best first: the exact same
 * range, then (stances) the same holder and target, then the largest overlap, then the same labels, then the
 * closest boundaries; ties are broken by ids, so the result never depends on input order. Two groups merge only
 * if they share no annotator and every member of one is a candidate for every member of the other.
 */

type Annotation = Pick<AnnotationJson, "id" | "userId" | "kind" | "start" | "end" | "entityType" | "entityId" | "holderEntityId" | "targetEntityId" | "polarity">;

interface CandidatePair<A extends Annotation> {
  a: A;
  b: A;
  tier: number;
  overlap: number;
  sameLabels: boolean;
  distance: number;
}

function overlapLength(a: Annotation, b: Annotation): number {
  return Math.min(a.end, b.end) - Math.max(a.start, b.start);
}

function hasSameHolderAndTarget(a: Annotation, b: Annotation): boolean {
  return a.kind === "stance" && a.holderEntityId === b.holderEntityId && a.targetEntityId === b.targetEntityId;
}

function hasSameLabels(a: Annotation, b: Annotation): boolean {
  return a.kind === "entity"
    ? a.entityType === b.entityType && a.entityId === b.entityId
    : hasSameHolderAndTarget(a, b) && a.polarity === b.polarity;
}

function isCandidatePair(a: Annotation, b: Annotation): boolean {
  return a.userId !== b.userId && a.kind === b.kind && (overlapLength(a, b) > 0 || hasSameHolderAndTarget(a, b));
}

function toCandidatePair<A extends Annotation>(x: A, y: A): CandidatePair<A> {
  const [a, b] = x.id < y.id ? [x, y] : [y, x];
  const overlap = Math.max(0, overlapLength(a, b));
  const isExact = a.start === b.start && a.end === b.end;
  const tier = isExact ? 0 : a.kind === "stance" && hasSameHolderAndTarget(a, b) ? (overlap > 0 ? 1 : 3) : 2;
  return { a, b, tier, overlap, sameLabels: hasSameLabels(a, b), distance: Math.abs(a.start - b.start) + Math.abs(a.end - b.end) };
}

function compareCandidatePairs<A extends Annotation>(x: CandidatePair<A>, y: CandidatePair<A>): number {
  return (
    x.tier - y.tier ||
    y.overlap - x.overlap ||
    Number(y.sameLabels) - Number(x.sameLabels) ||
    x.distance - y.distance ||
    (x.a.id < y.a.id ? -1 : x.a.id > y.a.id ? 1 : 0) ||
    (x.b.id < y.b.id ? -1 : x.b.id > y.b.id ? 1 : 0)
  );
}

/** Every candidate pair, once: overlapping ranges by a sweep over starts, plus (stances) same holder and target. */
function findCandidatePairs<A extends Annotation>(annotations: readonly A[]): CandidatePair<A>[] {
  const byStart = [...annotations].sort((a, b) => a.start - b.start || a.end - b.end || (a.id < b.id ? -1 : 1));
  const pairs: CandidatePair<A>[] = [];
  // The sweep meets every overlapping pair exactly once.
  for (let i = 0; i < byStart.length; i++) {
    const a = byStart[i]!;
    for (let j = i + 1; j < byStart.length && byStart[j]!.start < a.end; j++) {
      if (isCandidatePair(a, byStart[j]!)) pairs.push(toCandidatePair(a, byStart[j]!));
    }
  }
  const byHolderAndTarget = new Map<string, A[]>();
  for (const annotation of byStart) {
    if (annotation.kind !== "stance") continue;
    const key = `${annotation.holderEntityId} ${annotation.targetEntityId}`;
    const bucket = byHolderAndTarget.get(key);
    if (bucket) bucket.push(annotation);
    else byHolderAndTarget.set(key, [annotation]);
  }
  // Same holder and target: only the pairs the sweep did not meet (those that do not overlap).
  for (const bucket of byHolderAndTarget.values()) {
    for (let i = 0; i < bucket.length; i++) {
      for (let j = i + 1; j < bucket.length; j++) {
        if (overlapLength(bucket[i]!, bucket[j]!) <= 0 && isCandidatePair(bucket[i]!, bucket[j]!)) pairs.push(toCandidatePair(bucket[i]!, bucket[j]!));
      }
    }
  }
  return pairs.sort(compareCandidatePairs);
}

/** Groups of annotations of one kind, at most one per annotator (userId); every annotation is in exactly one group. */
export function alignAnnotations<A extends Annotation>(annotations: readonly A[]): A[][] {
  const groupOf = new Map<A, A[]>();
  for (const annotation of annotations) groupOf.set(annotation, [annotation]);
  for (const { a, b } of findCandidatePairs(annotations)) {
    const left = groupOf.get(a)!;
    const right = groupOf.get(b)!;
    if (left === right) continue;
    const fits = right.every((y) => left.every((x) => isCandidatePair(x, y)));
    if (!fits) continue;
    for (const member of right) {
      left.push(member);
      groupOf.set(member, left);
    }
  }
  return [...new Set(groupOf.values())];
}
