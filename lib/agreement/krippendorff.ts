/*
 * Krippendorff's alpha for nominal data, from the coincidence matrix (Krippendorff 2011, "Computing Krippendorff's
 * Alpha-Reliability"). With m_u pairable values in unit u and n_uc of them equal to category c:
 *   o_ck = Σ_u (number of ordered pairs of values (c, k) in u) / (m_u − 1), over units with m_u ≥ 2;
 *   n_c = Σ_k o_ck, n = Σ_c n_c (the pairable values);
 *   alpha = 1 − D_o / D_e = 1 − (n − 1) · (n − Σ_c o_cc) / (n² − Σ_c n_c²).
 * Nominal alpha only needs the diagonal Σ_c o_cc and the marginals n_c, which is all that is accumulated here.
 */

export type AlphaResult = {
  /** null when undefined: no pairable values, or only one category in the data (see `reason`). */
  alpha: number | null;
  reason?: string;
  /** n: values in units with at least two values. */
  pairableValues: number;
  /** D_o = (n − Σ_c o_cc) / n, null when n = 0. */
  observedDisagreement: number | null;
  /** D_e = (n² − Σ_c n_c²) / (n (n − 1)), null when n < 2. */
  expectedDisagreement: number | null;
};

export const NO_PAIRABLE_VALUES = "no unit was coded by two or more coders";
export const ONE_CATEGORY = "all coders used only one label";

/** Nominal alpha from n, Σ_c o_cc (`agreement`) and the marginals n_c of the coincidence matrix. */
export function nominalAlphaFromCoincidences(pairableValues: number, agreement: number, marginals: ArrayLike<number>): AlphaResult {
  const n = pairableValues;
  if (n === 0) return { alpha: null, reason: NO_PAIRABLE_VALUES, pairableValues: 0, observedDisagreement: null, expectedDisagreement: null };
  let sumOfSquares = 0;
  for (let c = 0; c < marginals.length; c++) sumOfSquares += marginals[c]! * marginals[c]!;
  const observedDisagreement = (n - agreement) / n;
  const expectedDisagreement = (n * n - sumOfSquares) / (n * (n - 1));
  if (n * n - sumOfSquares <= 0) return { alpha: null, reason: ONE_CATEGORY, pairableValues: n, observedDisagreement, expectedDisagreement: 0 };
  const alpha = 1 - ((n - 1) * (n - agreement)) / (n * n - sumOfSquares);
  return { alpha, pairableValues: n, observedDisagreement, expectedDisagreement };
}

/** Accumulates units of integer category ids (0 … categories − 1) without keeping them. */
export class NominalAlphaAccumulator {
  pairableValues = 0;
  /** Σ_c o_cc */
  agreement = 0;
  readonly marginals: Float64Array;
  private readonly counts: Int32Array;

  constructor(categories: number) {
    this.marginals = new Float64Array(categories);
    this.counts = new Int32Array(categories);
  }

  /** Adds one unit: the category ids of its values, missing values left out. Units with fewer than 2 are ignored. */
  addUnit(values: ArrayLike<number>, length = values.length): void {
    if (length < 2) return;
    const counts = this.counts;
    for (let i = 0; i < length; i++) counts[values[i]!]!++;
    let agreeingPairs = 0;
    for (let i = 0; i < length; i++) {
      const c = values[i]!;
      const count = counts[c]!;
      if (count === 0) continue;
      agreeingPairs += count * (count - 1);
      this.marginals[c]! += count;
      counts[c] = 0;
    }
    this.agreement += agreeingPairs / (length - 1);
    this.pairableValues += length;
  }

  result(): AlphaResult {
    return nominalAlphaFromCoincidences(this.pairableValues, this.agreement, this.marginals);
  }
}

/**
 * Krippendorff's alpha (nominal). `units[u]` holds the values the coders gave unit u, `null` or `undefined` for a
 * coder who did not code it. Values are compared with ===. Units with fewer than two values are ignored.
 */
export function krippendorffAlphaNominal(units: ReadonlyArray<ReadonlyArray<string | number | null | undefined>>): AlphaResult {
  const ids = new Map<string | number, number>();
  const coded: number[][] = [];
  for (const unit of units) {
    const values: number[] = [];
    for (const value of unit) {
      if (value === null || value === undefined) continue;
      let id = ids.get(value);
      if (id === undefined) ids.set(value, (id = ids.size));
      values.push(id);
    }
    coded.push(values);
  }
  const accumulator = new NominalAlphaAccumulator(ids.size);
  for (const values of coded) accumulator.addUnit(values);
  return accumulator.result();
}
