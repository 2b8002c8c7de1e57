import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { matchOverlap, NO_MENTIONS, spanF1, type Mention } from "./span-f1";

const m = (start: number, end: number, label = "PER"): Mention => ({ start, end, label });

describe("spanF1", () => {
  test("exact: same start, end and label", () => {
    const reference = [m(0, 5), m(10, 18, "LOC"), m(20, 25, "ORG")];
    const candidate = [m(0, 5), m(10, 18, "ORG"), m(21, 25, "ORG"), m(30, 32)];
    expect(spanF1(reference, candidate, "exact")).toEqual({ precision: 1 / 4, recall: 1 / 3, f1: 2 / 7, tp: 1, fp: 3, fn: 2 });
  });

  test("exact matching counts duplicates as a multiset", () => {
    expect(spanF1([m(0, 5), m(0, 5)], [m(0, 5)], "exact")).toMatchObject({ tp: 1, fp: 0, fn: 1 });
  });

  test("overlap: same label and overlapping ranges, one-to-one", () => {
    const reference = [m(0, 5), m(10, 18, "LOC"), m(20, 25, "ORG")];
    const candidate = [m(0, 5), m(10, 18, "ORG"), m(21, 25, "ORG"), m(5, 8)];
    expect(spanF1(reference, candidate, "overlap")).toMatchObject({ tp: 2, fp: 2, fn: 1, f1: 4 / 7 });
    // One long reference mention, two candidates inside it: only one of them matches.
    expect(spanF1([m(0, 20)], [m(0, 5), m(10, 20)], "overlap")).toMatchObject({ tp: 1, fp: 1, fn: 0 });
    // Touching ranges do not overlap.
    expect(spanF1([m(0, 5)], [m(5, 9)], "overlap")).toMatchObject({ tp: 0 });
  });

  test("overlap matching is greedy by largest overlap", () => {
    // ref [0,10) overlaps cand [0,4) by 4 and cand [2,12) by 8; ref [10,14) overlaps only [2,12), by 2.
    const matching = matchOverlap([m(0, 10), m(10, 14)], [m(0, 4), m(2, 12)]);
    expect(matching.tp).toBe(1);
    expect(Array.from(matching.referenceMatched)).toEqual([1, 0]);
    expect(Array.from(matching.candidateMatched)).toEqual([0, 1]);
  });

  test("neither side has a mention: F1, precision and recall are null, with the reason", () => {
    expect(spanF1([], [], "exact")).toEqual({ precision: null, recall: null, f1: null, tp: 0, fp: 0, fn: 0, reason: NO_MENTIONS });
    expect(spanF1([], [], "overlap").f1).toBeNull();
  });

  test("one side empty: F1 0", () => {
    expect(spanF1([m(0, 5)], [], "exact")).toEqual({ precision: null, recall: 0, f1: 0, tp: 0, fp: 0, fn: 1 });
    expect(spanF1([], [m(0, 5)], "exact")).toEqual({ precision: 0, recall: null, f1: 0, tp: 0, fp: 1, fn: 0 });
  });

  test("F1 is symmetric, and overlap F1 is at least exact F1", () => {
    const mention = fc.tuple(fc.nat(12), fc.integer({ min: 1, max: 5 }), fc.constantFrom("PER", "ORG")).map(([start, length, label]) => m(start, start + length, label));
    const mentions = fc.array(mention, { maxLength: 8 });
    fc.assert(
      fc.property(mentions, mentions, (a, b) => {
        for (const mode of ["exact", "overlap"] as const) {
          const ab = spanF1(a, b, mode);
          const ba = spanF1(b, a, mode);
          expect(ba.tp).toBe(ab.tp);
          expect(ba.f1).toBe(ab.f1);
          expect(ba.precision).toBe(ab.recall);
        }
        expect(spanF1(a, b, "overlap").tp).toBeGreaterThanOrEqual(spanF1(a, b, "exact").tp);
      }),
      { numRuns: 500 },
    );
  });
});
