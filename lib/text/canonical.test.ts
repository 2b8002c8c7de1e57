import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { canonicalizeText, utf8ByteLength } from "./canonical";

const anyText = fc.string({ unit: "binary", maxLength: 200 });
const textWithBreaks = fc.array(fc.oneof(fc.string({ unit: "grapheme", maxLength: 8 }), fc.constantFrom("\r\n", "\r", "\n", "\uFEFF")), { maxLength: 30 }).map((parts) => parts.join(""));

describe("canonicalizeText", () => {
  test("turns CRLF and lone CR into LF and drops a leading BOM", () => {
    expect(canonicalizeText("\uFEFFa\r\nb\rc\n\r\nd")).toBe("a\nb\nc\n\nd");
  });

  test("keeps everything else exactly: curly quotes, emoji, combining marks, inner BOMs, tabs, spaces", () => {
    const text = " “Assad” 👍🏽 e\u0301 \uFEFF\t  tail \n";
    expect(canonicalizeText(text)).toBe(text);
  });

  test("output never contains CR, and canonicalizing again changes nothing unless a second BOM surfaces", () => {
    fc.assert(
      fc.property(textWithBreaks, (raw) => {
        const canonical = canonicalizeText(raw);
        expect(canonical).not.toContain("\r");
        const startsWithSecondBom = canonical.charCodeAt(0) === 0xfeff;
        expect(startsWithSecondBom).toBe(raw.charCodeAt(0) === 0xfeff && raw.charCodeAt(1) === 0xfeff);
        if (!startsWithSecondBom) expect(canonicalizeText(canonical)).toBe(canonical);
      }),
    );
  });

  test("removes only line-break CRs and the first BOM: the other characters survive in order", () => {
    fc.assert(
      fc.property(textWithBreaks, (raw) => {
        const kept = [...(raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw)].filter((c) => c !== "\r" && c !== "\n").join("");
        expect([...canonicalizeText(raw)].filter((c) => c !== "\n").join("")).toBe(kept);
      }),
    );
  });
});

describe("utf8ByteLength", () => {
  test("equals the UTF-8 encoding's length, lone surrogates included (encoded as U+FFFD)", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(utf8ByteLength(text)).toBe(new TextEncoder().encode(text).length);
      }),
    );
  });
});
