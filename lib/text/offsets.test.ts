import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { checkSpan, codePointToUtf16, findOccurrence, splitsSurrogatePair, utf16ToCodePoint } from "./offsets";

const unicodeText = fc.string({ unit: "grapheme", maxLength: 60 });

describe("UTF-16 ↔ code point offsets", () => {
  test("agree with Python's view of the string (Array.from iterates code points)", () => {
    const text = "a👍🏽b 中文 é́";
    const codePoints = Array.from(text);
    for (let cp = 0; cp <= codePoints.length; cp++) {
      const utf16 = codePointToUtf16(text, cp);
      expect(codePoints.slice(0, cp).join("")).toBe(text.slice(0, utf16));
      expect(utf16ToCodePoint(text, utf16)).toBe(cp);
    }
  });

  test("round-trip at every boundary that does not split a surrogate pair", () => {
    fc.assert(
      fc.property(unicodeText, (text) => {
        for (let offset = 0; offset <= text.length; offset++) {
          if (splitsSurrogatePair(text, offset)) continue;
          expect(codePointToUtf16(text, utf16ToCodePoint(text, offset))).toBe(offset);
        }
      }),
    );
  });

  test("a span's code point slice is the same text as its UTF-16 slice", () => {
    fc.assert(
      fc.property(unicodeText, fc.nat(), fc.nat(), (text, a, b) => {
        const codePoints = Array.from(text);
        const [start, end] = [a % (codePoints.length + 1), b % (codePoints.length + 1)].sort((x, y) => x - y) as [number, number];
        expect(text.slice(codePointToUtf16(text, start), codePointToUtf16(text, end))).toBe(codePoints.slice(start, end).join(""));
      }),
    );
  });
});

describe("checkSpan", () => {
  const text = "Putin 👍 Hollande";

  test("accepts a span whose quote matches", () => {
    expect(checkSpan(text, 0, 5, "Putin")).toBeNull();
    expect(checkSpan(text, 6, 8, "👍")).toBeNull();
  });

  test.each([
    [-1, 5, "Putin", /outside/],
    [0, 99, "Putin", /outside/],
    [5, 5, "", /less than/],
    [6, 7, "\ud83d", /surrogate/],
    [7, 8, "\udc4d", /surrogate/],
    [0, 5, "Pútin", /does not match/],
    [0.5, 5, "Putin", /integers/],
  ])("refuses [%s, %s) %j", (start, end, quote, reason) => {
    expect(checkSpan(text, start, end, quote)).toMatch(reason);
  });

  test("accepts exactly the spans whose quote is the slice and which split no pair", () => {
    fc.assert(
      fc.property(unicodeText, fc.nat(), fc.nat(), (text, a, b) => {
        const [start, end] = [a % (text.length + 1), b % (text.length + 1)].sort((x, y) => x - y) as [number, number];
        const isValid = start < end && !splitsSurrogatePair(text, start) && !splitsSurrogatePair(text, end);
        expect(checkSpan(text, start, end, text.slice(start, end)) === null).toBe(isValid);
      }),
    );
  });
});

describe("findOccurrence", () => {
  test("finds the n-th occurrence, overlapping ones included", () => {
    expect(findOccurrence("IS and ISIS", "IS", 0)).toEqual({ start: 0, end: 2 });
    expect(findOccurrence("IS and ISIS", "IS", 2)).toEqual({ start: 9, end: 11 });
    expect(findOccurrence("IS and ISIS", "IS", 3)).toBeNull();
  });
});
