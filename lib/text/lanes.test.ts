import fc from "fast-check";
import { expect, test } from "vitest";
import { assignLanes } from "./lanes";

test("spans in the same lane never overlap, and nested spans get different lanes", () => {
  const spans = fc.array(fc.tuple(fc.nat(200), fc.integer({ min: 1, max: 40 })), { maxLength: 40 }).map((pairs) =>
    pairs.map(([start, length], index) => ({ id: String(index), start, end: start + length })),
  );
  fc.assert(
    fc.property(spans, (list) => {
      const lanes = assignLanes(list);
      for (const a of list) {
        for (const b of list) {
          if (a !== b && lanes.get(a.id) === lanes.get(b.id)) expect(a.end <= b.start || b.end <= a.start).toBe(true);
        }
      }
    }),
  );
  const lanes = assignLanes([
    { id: "outer", start: 0, end: 30 },
    { id: "inner", start: 15, end: 30 },
    { id: "after", start: 30, end: 35 },
  ]);
  expect(lanes.get("outer")).toBe(0);
  expect(lanes.get("inner")).toBe(1);
  expect(lanes.get("after")).toBe(0);
});
