import { describe, expect, test } from "vitest";
import { NO_STANCES, stanceF1, type StanceTuple } from "./stance-f1";

const s = (holderEntityId: string, targetEntityId: string, polarity: string): StanceTuple => ({ holderEntityId, targetEntityId, polarity });

describe("stanceF1", () => {
  test("identical tuples match, as a multiset", () => {
    const reference = [s("hollande", "assad", "AGAINST"), s("putin", "assad", "FAVOR"), s("putin", "assad", "FAVOR")];
    const candidate = [s("hollande", "assad", "AGAINST"), s("putin", "assad", "FAVOR"), s("putin", "assad", "NEUTRAL")];
    expect(stanceF1(reference, candidate)).toEqual({ precision: 2 / 3, recall: 2 / 3, f1: 2 / 3, tp: 2, fp: 1, fn: 1 });
  });

  test("holder and target are not interchangeable", () => {
    expect(stanceF1([s("a", "b", "FAVOR")], [s("b", "a", "FAVOR")]).f1).toBe(0);
  });

  test("no stances on either side: null, with the reason", () => {
    expect(stanceF1([], [])).toMatchObject({ f1: null, precision: null, recall: null, reason: NO_STANCES });
  });
});
