/*
 * F1 of entity mentions between a reference and a candidate annotator.
 * - exact: a candidate mention matches a reference mention with the same start, end and label (as multisets: two
 *   identical mentions on one side need two on the other).
 * - overlap: a candidate mention matches a reference mention with the same label whose range overlaps it; matches
 *   are one-to-one, chosen greedily: largest overlap first, then smallest union, then by the two ranges (earlier
 *   first), then label name. That order does not depend on which side is the reference, so tp, and F1, are the
 *   same either way round.
 * precision = tp / (tp + fp), recall = tp / (tp + fn), F1 = 2 tp / (2 tp + fp + fn); each is null when its
 * denominator is 0 (F1 only when neither side has any mention).
 */

export type Mention = { start: number; end: number; label: string };
export type F1Counts = { tp: number; fp: number; fn: number };
export type F1Result = F1Counts & {
  precision: number | null;
  recall: number | null;
  /** null when neither side has anything (see `reason`) */
  f1: number | null;
  reason?: string;
};
export type Matching = {
  tp: number;
  /** 1 where the reference item is matched */
  referenceMatched: Uint8Array;
  /** 1 where the candidate item is matched */
  candidateMatched: Uint8Array;
};

export const NO_MENTIONS = "no mentions from either annotator";

/** Precision, recall and F1 from counts; `emptyReason` explains a null F1 (tp + fp + fn = 0). */
export function f1FromCounts(tp: number, fp: number, fn: number, emptyReason = NO_MENTIONS): F1Result {
  const result: F1Result = {
    precision: tp + fp === 0 ? null : tp / (tp + fp),
    recall: tp + fn === 0 ? null : tp / (tp + fn),
    f1: tp + fp + fn === 0 ? null : (2 * tp) / (2 * tp + fp + fn),
    tp,
    fp,
    fn,
  };
  if (result.f1 === null) result.reason = emptyReason;
  return result;
}

function compare(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareMentions(a: Mention, b: Mention): number {
  return a.start - b.start || a.end - b.end || compare(a.label, b.label);
}

/** One-to-one exact matching (same start, end and label), with the matched items of each side. */
export function matchExact(reference: readonly Mention[], candidate: readonly Mention[]): Matching {
  const referenceMatched = new Uint8Array(reference.length);
  const candidateMatched = new Uint8Array(candidate.length);
  const r = reference.map((_, i) => i).sort((x, y) => compareMentions(reference[x]!, reference[y]!) || x - y);
  const c = candidate.map((_, i) => i).sort((x, y) => compareMentions(candidate[x]!, candidate[y]!) || x - y);
  let i = 0;
  let j = 0;
  let tp = 0;
  while (i < r.length && j < c.length) {
    const order = compareMentions(reference[r[i]!]!, candidate[c[j]!]!);
    if (order < 0) i++;
    else if (order > 0) j++;
    else {
      referenceMatched[r[i++]!] = 1;
      candidateMatched[c[j++]!] = 1;
      tp++;
    }
  }
  return { tp, referenceMatched, candidateMatched };
}

type Edge = { r: number; c: number; overlap: number; union: number; loStart: number; loEnd: number; hiStart: number; hiEnd: number; label: string };

/**
 * One-to-one overlap matching (same label, overlapping ranges), greedy in the role-independent order above.
 * An exact match outranks every other edge of its two mentions (its overlap is their whole length, its union the
 * smallest possible), so the greedy matching is the exact matching plus the greedy matching of what is left;
 * pass `exact` (from `matchExact` on the same arrays) when it is at hand.
 */
export function matchOverlap(reference: readonly Mention[], candidate: readonly Mention[], exact: Matching = matchExact(reference, candidate)): Matching {
  const referenceMatched = exact.referenceMatched.slice();
  const candidateMatched = exact.candidateMatched.slice();
  let tp = exact.tp;
  const refs: number[] = [];
  const cands: number[] = [];
  for (let r = 0; r < reference.length; r++) if (!referenceMatched[r] && reference[r]!.end > reference[r]!.start) refs.push(r);
  for (let c = 0; c < candidate.length; c++) if (!candidateMatched[c] && candidate[c]!.end > candidate[c]!.start) cands.push(c);
  const edges: Edge[] = [];
  const addEdge = (r: number, c: number) => {
    const ref = reference[r]!;
    const cand = candidate[c]!;
    if (cand.end <= ref.start || cand.start >= ref.end || cand.label !== ref.label) return;
    const refFirst = ref.start < cand.start || (ref.start === cand.start && ref.end <= cand.end);
    const low = refFirst ? ref : cand;
    const high = refFirst ? cand : ref;
    edges.push({
      r,
      c,
      overlap: Math.min(ref.end, cand.end) - Math.max(ref.start, cand.start),
      union: Math.max(ref.end, cand.end) - Math.min(ref.start, cand.start),
      loStart: low.start,
      loEnd: low.end,
      hiStart: high.start,
      hiEnd: high.end,
      label: ref.label,
    });
  };
  if (refs.length * cands.length <= 4096) {
    for (const r of refs) for (const c of cands) addEdge(r, c);
  } else {
    // Candidates by start, with the running maximum of their ends, so each reference mention visits only
    // candidates that can reach it.
    cands.sort((x, y) => candidate[x]!.start - candidate[y]!.start || x - y);
    const maxEnd: number[] = [];
    for (let k = 0; k < cands.length; k++) maxEnd.push(Math.max(k > 0 ? maxEnd[k - 1]! : -Infinity, candidate[cands[k]!]!.end));
    for (const r of refs) {
      const ref = reference[r]!;
      // Candidates starting before ref.end: cands[0 … lo).
      let lo = 0;
      let hi = cands.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (candidate[cands[mid]!]!.start < ref.end) lo = mid + 1;
        else hi = mid;
      }
      for (let k = lo - 1; k >= 0 && maxEnd[k]! > ref.start; k--) addEdge(r, cands[k]!);
    }
  }
  // Usually no mention has two candidate partners: then every edge is a match, whatever the order.
  const referenceDegree = new Uint8Array(reference.length);
  const candidateDegree = new Uint8Array(candidate.length);
  let contested = false;
  for (const edge of edges) {
    if (referenceDegree[edge.r] || candidateDegree[edge.c]) {
      contested = true;
      break;
    }
    referenceDegree[edge.r] = 1;
    candidateDegree[edge.c] = 1;
  }
  if (!contested) {
    for (const edge of edges) {
      referenceMatched[edge.r] = 1;
      candidateMatched[edge.c] = 1;
    }
    return { tp: tp + edges.length, referenceMatched, candidateMatched };
  }
  edges.sort(
    (x, y) =>
      y.overlap - x.overlap ||
      x.union - y.union ||
      x.loStart - y.loStart ||
      x.loEnd - y.loEnd ||
      x.hiStart - y.hiStart ||
      x.hiEnd - y.hiEnd ||
      compare(x.label, y.label) ||
      x.r - y.r ||
      x.c - y.c,
  );
  for (const edge of edges) {
    if (referenceMatched[edge.r] || candidateMatched[edge.c]) continue;
    referenceMatched[edge.r] = 1;
    candidateMatched[edge.c] = 1;
    tp++;
  }
  return { tp, referenceMatched, candidateMatched };
}

/** Span F1 of `candidate` against `reference`; see the definitions at the top of this file. */
export function spanF1(reference: readonly Mention[], candidate: readonly Mention[], mode: "exact" | "overlap"): F1Result {
  const { tp } = mode === "exact" ? matchExact(reference, candidate) : matchOverlap(reference, candidate);
  return f1FromCounts(tp, candidate.length - tp, reference.length - tp);
}
