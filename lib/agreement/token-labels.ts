/*
 * Token labels from entity mentions: a token takes the label of the mention covering it (their ranges overlap),
 * "O" when none does. Where several mentions cover a token (nested or overlapping spans), the longest mention wins
 * (length in UTF-16 code units), then the one starting first, then the label name first in code unit order. The
 * CoNLL export resolves nested and overlapping spans with the same rule.
 */
import type { Token } from "../text/tokenize";
import type { Mention } from "./span-f1";

export const OUTSIDE = "O";

/** Mentions in priority order: longest first, then earliest start, then label name. */
function priorityOrder(mentions: readonly Mention[]): number[] {
  const order: number[] = [];
  for (let i = 0; i < mentions.length; i++) if (mentions[i]!.end > mentions[i]!.start) order.push(i);
  return order.sort((x, y) => {
    const a = mentions[x]!;
    const b = mentions[y]!;
    return b.end - b.start - (a.end - a.start) || a.start - b.start || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0) || x - y;
  });
}

/**
 * For each token (`[starts[t], ends[t])`, sorted and disjoint), the index of the mention that labels it, or -1.
 */
export function coveringMentions(starts: ArrayLike<number>, ends: ArrayLike<number>, count: number, mentions: readonly Mention[]): Int32Array {
  const winner = new Int32Array(count).fill(-1);
  for (const m of priorityOrder(mentions)) {
    const { start, end } = mentions[m]!;
    // First token ending after the mention's start.
    let lo = 0;
    let hi = count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ends[mid]! <= start) lo = mid + 1;
      else hi = mid;
    }
    for (let t = lo; t < count && starts[t]! < end; t++) if (winner[t] === -1) winner[t] = m;
  }
  return winner;
}

/** The label of each token: the covering mention's label, or "O"; see the rule at the top of this file. */
export function tokenLabels(tokens: readonly Token[], mentions: readonly Mention[]): string[] {
  const winner = coveringMentions(
    tokens.map((t) => t.start),
    tokens.map((t) => t.end),
    tokens.length,
    mentions,
  );
  return Array.from(winner, (m) => (m < 0 ? OUTSIDE : mentions[m]!.label));
}
