/*
 * F1 of stance tuples (holder entity, target entity, polarity) between a reference and a candidate annotator of
 * one article: a tuple matches an identical tuple on the other side, as multisets (entity ids are canonical:
 * merged entities share one id). Where in the text the stance was marked does not matter.
 */
import { f1FromCounts, type F1Result, type Matching } from "./span-f1";

export type StanceTuple = { holderEntityId: string; targetEntityId: string; polarity: string };

export const NO_STANCES = "no stances from either annotator";

function key(tuple: StanceTuple): string {
  return `${tuple.holderEntityId}\u0000${tuple.targetEntityId}\u0000${tuple.polarity}`;
}

/** One-to-one matching of identical tuples, with the matched items of each side. */
export function matchStances(reference: readonly StanceTuple[], candidate: readonly StanceTuple[]): Matching {
  const referenceMatched = new Uint8Array(reference.length);
  const candidateMatched = new Uint8Array(candidate.length);
  const open = new Map<string, number[]>();
  reference.forEach((tuple, i) => {
    const k = key(tuple);
    const list = open.get(k);
    if (list) list.push(i);
    else open.set(k, [i]);
  });
  let tp = 0;
  candidate.forEach((tuple, j) => {
    const list = open.get(key(tuple));
    if (!list || list.length === 0) return;
    referenceMatched[list.shift()!] = 1;
    candidateMatched[j] = 1;
    tp++;
  });
  return { tp, referenceMatched, candidateMatched };
}

/** Stance F1 of `candidate` against `reference`; null F1 (with a reason) when neither has a stance. */
export function stanceF1(reference: readonly StanceTuple[], candidate: readonly StanceTuple[]): F1Result {
  const { tp } = matchStances(reference, candidate);
  return f1FromCounts(tp, candidate.length - tp, reference.length - tp, NO_STANCES);
}
