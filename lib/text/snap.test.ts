import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { splitsSurrogatePair } from "./offsets";
import { snapSelection } from "./snap";

const text = "French President Francois Hollande said he’s narrowed differences with Vladimir Putin 👍🏽.";

describe("snapSelection", () => {
  test("widens a ragged selection to whole words", () => {
    const start = text.indexOf("ladimir");
    const span = snapSelection(text, start, text.indexOf("Putin") + 2);
    expect(span && text.slice(span.start, span.end)).toBe("Vladimir Putin");
  });

  test("keeps exact characters on request, minus surrounding whitespace", () => {
    const start = text.indexOf("Vladimir");
    const span = snapSelection(text, start - 1, start + 5, { exact: true });
    expect(span && text.slice(span.start, span.end)).toBe("Vladi");
  });

  test("does not swallow punctuation next to a word", () => {
    const start = text.indexOf("Putin");
    const span = snapSelection(text, start, start + 6);
    expect(span && text.slice(span.start, span.end)).toBe("Putin");
  });

  test("whitespace only is no span", () => {
    expect(snapSelection("a   b", 1, 4)).toBeNull();
  });

  test("always a non-empty span inside the text, no edge whitespace, no half surrogate pair, holding the selection's non-space core", () => {
    const source = fc
      .array(fc.oneof(fc.string({ unit: "grapheme", maxLength: 6 }), fc.constantFrom(" ", "\n", "👍🏽", "’", "Putin")), { minLength: 1, maxLength: 20 })
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(source, fc.nat(), fc.nat(), fc.boolean(), (sample, a, b, exact) => {
        const x = a % (sample.length + 1);
        const y = b % (sample.length + 1);
        let lo = Math.min(x, y);
        let hi = Math.max(x, y);
        if (splitsSurrogatePair(sample, lo)) lo--;
        if (splitsSurrogatePair(sample, hi)) hi++;
        while (lo < hi && /\s/u.test(sample[lo]!)) lo++;
        while (hi > lo && /\s/u.test(sample[hi - 1]!)) hi--;
        const span = snapSelection(sample, x, y, { exact });
        if (lo === hi) {
          expect(span).toBeNull();
          return;
        }
        expect(span).not.toBeNull();
        const { start, end } = span!;
        expect(0 <= start && start < end && end <= sample.length).toBe(true);
        expect(/^\s|\s$/u.test(sample.slice(start, end))).toBe(false);
        expect(splitsSurrogatePair(sample, start) || splitsSurrogatePair(sample, end)).toBe(false);
        if (exact) expect([start, end]).toEqual([lo, hi]);
        else expect(start <= lo && end >= hi).toBe(true);
      }),
    );
  });
});
