/*
 * Cohen's kappa for two raters over the same items: kappa = (p_o − p_e) / (1 − p_e), with p_o the share of items
 * both gave the same label and p_e = Σ_c (a_c / n) (b_c / n) the agreement expected from their label frequencies.
 */

export type KappaResult = {
  /** null when undefined: no items, or both raters used one and the same single label (see `reason`). */
  kappa: number | null;
  reason?: string;
  /** p_o, null when n = 0 */
  observed: number | null;
  /** p_e, null when n = 0 */
  expected: number | null;
  n: number;
};

export const NO_ITEMS = "no items rated by both annotators";
export const SAME_SINGLE_LABEL = "both annotators used one and the same single label";

/** Kappa from the item count, the number of items with equal labels, and each rater's label counts. */
export function kappaFromCounts(n: number, agreements: number, countsA: ArrayLike<number>, countsB: ArrayLike<number>): KappaResult {
  if (n === 0) return { kappa: null, reason: NO_ITEMS, observed: null, expected: null, n: 0 };
  let chanceProducts = 0;
  for (let c = 0; c < countsA.length; c++) chanceProducts += countsA[c]! * (countsB[c] ?? 0);
  const observed = agreements / n;
  const expected = chanceProducts / (n * n);
  if (chanceProducts >= n * n) return { kappa: null, reason: SAME_SINGLE_LABEL, observed, expected: 1, n };
  return { kappa: (observed - expected) / (1 - expected), observed, expected, n };
}

/** Cohen's kappa between two equally long label arrays (item i labelled a[i] by one rater and b[i] by the other). */
export function cohenKappa(a: ReadonlyArray<string | number>, b: ReadonlyArray<string | number>): KappaResult {
  if (a.length !== b.length) throw new Error(`cohenKappa: ${a.length} labels against ${b.length}`);
  const ids = new Map<string | number, number>();
  const id = (value: string | number) => {
    let found = ids.get(value);
    if (found === undefined) ids.set(value, (found = ids.size));
    return found;
  };
  const pairs = a.map((value, i) => [id(value), id(b[i]!)] as const);
  const countsA = new Float64Array(ids.size);
  const countsB = new Float64Array(ids.size);
  let agreements = 0;
  for (const [x, y] of pairs) {
    countsA[x]!++;
    countsB[y]!++;
    if (x === y) agreements++;
  }
  return kappaFromCounts(a.length, agreements, countsA, countsB);
}
