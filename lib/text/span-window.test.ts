import fc from "fast-check";
import { expect, test } from "vitest";
import { spansInWindow, windowAround, windowCovers, windowMargin } from "./span-window";

test("finds exactly the spans overlapping the window, long ones starting before it included", () => {
  const span = fc.tuple(fc.nat(500), fc.integer({ min: 1, max: 80 })).map(([start, length]) => ({ start, end: start + length }));
  fc.assert(
    fc.property(fc.array(span, { maxLength: 60 }), fc.nat(600), fc.nat(200), (generated, from, width) => {
      const spans = [...generated].sort((a, b) => a.start - b.start);
      const longest = spans.reduce((max, s) => Math.max(max, s.end - s.start), 0);
      const window = { from, to: from + width };
      expect(spansInWindow(spans, window, longest)).toEqual(spans.filter((s) => s.start < window.to && s.end > window.from));
    }),
  );
});

test("a window around the viewport covers it until the viewport moves half a margin", () => {
  const length = 1_000_000;
  const drawn = windowAround({ from: 500_000, to: 503_000 }, length);
  expect(windowCovers(drawn, { from: 500_000, to: 503_000 }, length)).toBe(true);
  expect(windowCovers(drawn, { from: 500_000 + windowMargin / 2, to: 503_000 + windowMargin / 2 }, length)).toBe(true);
  expect(windowCovers(drawn, { from: 500_000 + windowMargin, to: 503_000 + windowMargin }, length)).toBe(false);
  // At the ends of the text there is nothing more to draw.
  const top = windowAround({ from: 0, to: 3000 }, length);
  expect(top.from).toBe(0);
  expect(windowCovers(top, { from: 0, to: 3000 }, length)).toBe(true);
});
