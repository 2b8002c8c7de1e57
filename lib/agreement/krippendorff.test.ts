import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { krippendorffAlphaNominal, NO_PAIRABLE_VALUES, NominalAlphaAccumulator, ONE_CATEGORY } from "./krippendorff";

describe("krippendorffAlphaNominal", () => {
  test("Krippendorff (2011), reliability data with missing values: 4 observers × 12 units, nominal alpha 0.743", () => {
    const _ = null;
    const observers = [
      [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
      [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
      [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
      [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
    ];
    const units = observers[0]!.map((_, u) => observers.map((values) => values[u]));
    const result = krippendorffAlphaNominal(units);
    expect(result.alpha).toBeCloseTo(0.743, 3);
    // Unit 12 has one value only: 40 values in 11 pairable units.
    expect(result.pairableValues).toBe(40);
  });

  test("hand-computed: (a,a) (a,b) (b,b) (b,b) gives 1 − 7 · 2 / (64 − 9 − 25) = 8/15", () => {
    const result = krippendorffAlphaNominal([["a", "a"], ["a", "b"], ["b", "b"], ["b", "b"]]);
    expect(result.alpha).toBeCloseTo(8 / 15, 12);
    expect(result.observedDisagreement).toBeCloseTo(2 / 8, 12);
    expect(result.expectedDisagreement).toBeCloseTo(30 / 56, 12);
  });

  test("perfect agreement with two or more categories is 1", () => {
    expect(krippendorffAlphaNominal([["x", "x", "x"], ["y", "y", null], ["z", "z", "z"]]).alpha).toBe(1);
  });

  test("only one category in the data: null, with the reason", () => {
    const result = krippendorffAlphaNominal([["O", "O"], ["O", "O", "O"]]);
    expect(result).toMatchObject({ alpha: null, reason: ONE_CATEGORY, pairableValues: 5 });
  });

  test("no unit with two values: null, with the reason", () => {
    expect(krippendorffAlphaNominal([])).toMatchObject({ alpha: null, reason: NO_PAIRABLE_VALUES, pairableValues: 0 });
    expect(krippendorffAlphaNominal([["a", null], [null, "b"], []])).toMatchObject({ alpha: null, reason: NO_PAIRABLE_VALUES });
  });

  test("systematic disagreement is below 0", () => {
    expect(krippendorffAlphaNominal([["a", "b"], ["b", "a"], ["a", "b"], ["b", "a"]]).alpha!).toBeLessThan(0);
  });

  test("does not depend on the order of units or of coders, or on category names", () => {
    const unit = fc.array(fc.option(fc.constantFrom("a", "b", "c"), { nil: null }), { minLength: 3, maxLength: 3 });
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 30 }), (units) => {
        const base = krippendorffAlphaNominal(units);
        const shuffled = krippendorffAlphaNominal([...units].reverse().map((values) => [...values].reverse()));
        const renamed = krippendorffAlphaNominal(units.map((values) => values.map((v) => (v === null ? null : v.toUpperCase()))));
        for (const other of [shuffled, renamed]) {
          expect(other.pairableValues).toBe(base.pairableValues);
          if (base.alpha === null) expect(other.alpha).toBeNull();
          else expect(other.alpha).toBeCloseTo(base.alpha, 10);
        }
        if (base.alpha !== null) expect(base.alpha).toBeLessThanOrEqual(1);
      }),
    );
  });

  test("the accumulator over integer ids gives the same figures", () => {
    const accumulator = new NominalAlphaAccumulator(3);
    for (const unit of [[0, 0], [0, 1], [1, 1], [1, 1], [2]]) accumulator.addUnit(unit);
    expect(accumulator.result().alpha).toBeCloseTo(8 / 15, 12);
    expect(accumulator.result().pairableValues).toBe(8);
  });
});
