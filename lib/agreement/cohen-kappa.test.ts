import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { cohenKappa, NO_ITEMS, SAME_SINGLE_LABEL } from "./cohen-kappa";

function repeat(pairs: Array<[string, string, number]>): [string[], string[]] {
  const a: string[] = [];
  const b: string[] = [];
  for (const [x, y, times] of pairs) for (let i = 0; i < times; i++) (a.push(x), b.push(y));
  return [a, b];
}

describe("cohenKappa", () => {
  test("the classic 50 items: both yes 20, both no 15, yes/no 5, no/yes 10 → 0.4", () => {
    const [a, b] = repeat([["yes", "yes", 20], ["no", "no", 15], ["yes", "no", 5], ["no", "yes", 10]]);
    const result = cohenKappa(a, b);
    expect(result.n).toBe(50);
    expect(result.observed).toBeCloseTo(0.7, 12);
    expect(result.expected).toBeCloseTo(0.5, 12);
    expect(result.kappa).toBeCloseTo(0.4, 12);
  });

  test("perfect agreement is 1", () => {
    expect(cohenKappa(["PER", "O", "LOC", "O"], ["PER", "O", "LOC", "O"]).kappa).toBe(1);
  });

  test("both used one and the same single label: null, with the reason", () => {
    expect(cohenKappa(["O", "O", "O"], ["O", "O", "O"])).toMatchObject({ kappa: null, reason: SAME_SINGLE_LABEL, observed: 1, expected: 1, n: 3 });
  });

  test("each used a single label, different ones: 0", () => {
    expect(cohenKappa(["O", "O"], ["PER", "PER"]).kappa).toBe(0);
  });

  test("no items: null, with the reason", () => {
    expect(cohenKappa([], [])).toMatchObject({ kappa: null, reason: NO_ITEMS, n: 0 });
  });

  test("arrays of different lengths are refused", () => {
    expect(() => cohenKappa(["a"], [])).toThrow();
  });

  test("symmetric in the two raters", () => {
    const labels = fc.array(fc.tuple(fc.constantFrom("O", "PER", "ORG"), fc.constantFrom("O", "PER", "ORG")), { maxLength: 40 });
    fc.assert(
      fc.property(labels, (pairs) => {
        const ab = cohenKappa(pairs.map((p) => p[0]), pairs.map((p) => p[1]));
        const ba = cohenKappa(pairs.map((p) => p[1]), pairs.map((p) => p[0]));
        if (ab.kappa === null) expect(ba.kappa).toBeNull();
        else expect(ba.kappa).toBeCloseTo(ab.kappa, 12);
      }),
    );
  });
});
