import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { splitsSurrogatePair } from "./offsets";
import { splitSentences, tokenize, tokenizeToArrays, type Token } from "./tokenize";

const words = (text: string) => tokenize(text).map((token) => text.slice(token.start, token.end));
const sentences = (text: string) => splitSentences(text, tokenize(text)).map((sentence) => text.slice(sentence.start, sentence.end));

// Pieces chosen to hit every rule: joiners, marks, ZWJ/ZWNJ, regional indicators, skin tones, CJK, halfwidth
// katakana with its voiced mark, Prepend, Indic conjuncts, lone surrogates, whitespace of several kinds.
const piece = fc.constantFrom(
  "Putin", "a", "Z", "é", "e", "1", "٢", "'", "’", "-", "\u2011", ".", ",", "\u00ad", "?", "!", "…", "“", "”", '"', "(", ")",
  "\u0301", "\u0308", "\ufe0f", "\u20e3", "\u200d", "\u200c", "\u200b", "🇫", "🇷", "👍", "🏽", "👨", "©", "東", "京", "カ", "ｶ", "ﾞ",
  "\u3099", "。", "\u0600", "क", "्", "ष", "ि", "\u1100", "\u1161", "가", "\u11a8", "\ud83d", "\udc4d", "𝐀", "\udb40\udc67",
  " ", "  ", "\n", "\n\n", "\t", "\u00a0", "\u3000", "\ufeff", "\u2028",
);
const trickyText = fc.array(piece, { maxLength: 40 }).map((pieces) => pieces.join(""));
const anyText = fc.oneof(trickyText, fc.string({ unit: "grapheme", maxLength: 60 }), fc.string({ unit: "binary", maxLength: 40 }));

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

function checkTokens(text: string, tokens: Token[]) {
  const covered = new Uint8Array(text.length);
  let previousEnd = 0;
  for (const token of tokens) {
    expect(token.start).toBeGreaterThanOrEqual(previousEnd);
    expect(token.end).toBeGreaterThan(token.start);
    expect(text.slice(token.start, token.end)).not.toMatch(/\s/);
    expect(splitsSurrogatePair(text, token.start)).toBe(false);
    expect(splitsSurrogatePair(text, token.end)).toBe(false);
    for (let i = token.start; i < token.end; i++) covered[i]! += 1;
    previousEnd = token.end;
  }
  for (let i = 0; i < text.length; i++) expect(covered[i]).toBe(/\s/.test(text[i]!) ? 0 : 1);
}

describe("tokenize", () => {
  test("words keep inner apostrophes, hyphens, periods and digit commas", () => {
    expect(words("Putin's al-Assad met U.S. envoys: 3.14% of 1,000,000, rock'n'roll.")).toEqual([
      "Putin's", "al-Assad", "met", "U.S", ".", "envoys", ":", "3.14", "%", "of", "1,000,000", ",", "rock'n'roll", ".",
    ]);
    expect(words("'90s well--known end.Next a,b")).toEqual(["'", "90s", "well", "-", "-", "known", "end.Next", "a", ",", "b"]);
  });

  test("curly quotes and apostrophes", () => {
    expect(words("“He’s here,” said Hollande’s aide… ‘OK’")).toEqual(["“", "He’s", "here", ",", "”", "said", "Hollande’s", "aide", "…", "‘", "OK", "’"]);
  });

  test("combining accents stay in their word", () => {
    expect(words("Cafe\u0301 e\u0301te\u0301 \u0301x")).toEqual(["Cafe\u0301", "e\u0301te\u0301", "\u0301x"]);
  });

  test("emoji, flags, skin tones, ZWJ sequences and keycaps are never split", () => {
    expect(words("Paris🇫🇷🇩🇪 👨‍👩‍👧 ok👍🏽! ❤️ 1️⃣ #️⃣")).toEqual(["Paris", "🇫🇷", "🇩🇪", "👨‍👩‍👧", "ok", "👍🏽", "!", "❤️", "1️⃣", "#️⃣"]);
  });

  test("Han, Hiragana and Katakana are one token per character, voiced marks included", () => {
    expect(words("東京タワーへ行きます。ｶﾞ Tokyo")).toEqual(["東", "京", "タ", "ワ", "ー", "へ", "行", "き", "ま", "す", "。", "ｶﾞ", "Tokyo"]);
  });

  test("other scripts: Hangul, Arabic, Devanagari with marks, ZWNJ inside Persian words", () => {
    expect(words("안녕하세요 세계 مرحبا ١٢٣ नमस्ते می\u200cخواهم")).toEqual(["안녕하세요", "세계", "مرحبا", "١٢٣", "नमस्ते", "می\u200cخواهم"]);
  });

  test("whitespace of every kind separates, and is never a token", () => {
    expect(words("a\u00a0b\u3000c\td\n\ne\ufefff  ")).toEqual(["a", "b", "c", "d", "e", "f"]);
    expect(tokenize("")).toEqual([]);
    expect(tokenize(" \n\t ")).toEqual([]);
  });

  test("offsets are UTF-16 code units", () => {
    expect(tokenize("👍 ab")).toEqual([
      { start: 0, end: 2 },
      { start: 3, end: 5 },
    ]);
  });

  test("tokens are sorted, disjoint, non-empty, without whitespace, and cover every other code unit once", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        checkTokens(text, tokenize(text));
      }),
      { numRuns: 500 },
    );
  });

  test("no token boundary falls inside a grapheme cluster (unless the cluster holds whitespace)", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const boundaries = new Set(tokenize(text).flatMap((token) => [token.start, token.end]));
        for (const { index, segment } of graphemes.segment(text)) {
          if (/\s/.test(segment)) continue;
          for (let i = index + 1; i < index + segment.length; i++) expect(boundaries.has(i), `${JSON.stringify(segment)} split at ${i - index}`).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });

  test("the fast path gives the same tokens as segmenting everything", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const fast = tokenizeToArrays(text);
        const slow = tokenizeToArrays(text, { forceSegmenter: true });
        expect(Array.from(fast.starts)).toEqual(Array.from(slow.starts));
        expect(Array.from(fast.ends)).toEqual(Array.from(slow.ends));
      }),
      { numRuns: 500 },
    );
  });

  test("a long article is tokenized fast (smoke test, no timing assertion)", () => {
    const text = "French President François Hollande said he’s narrowed differences with Vladimir Putin. ".repeat(12_000);
    const { count } = tokenizeToArrays(text);
    expect(count).toBe(12 * 12_000);
  });
});

describe("splitSentences", () => {
  test("ends after terminators followed by a capital, a digit or an opening quote", () => {
    expect(sentences("Putin met Hollande. They talked! Why? 12 hours later… “It went well,” he said. (Maybe.) Done")).toEqual([
      "Putin met Hollande.", "They talked!", "Why?", "12 hours later…", "“It went well,” he said.", "(Maybe.)", "Done",
    ]);
  });

  test("closing quotes and brackets stay with their sentence; lowercase continues it", () => {
    expect(sentences("He said “no.” Then he left. the end? yes.")).toEqual(["He said “no.”", "Then he left. the end? yes."]);
    expect(sentences("He said \"stop.\" \"Why?\" she asked.")).toEqual(["He said \"stop.\"", "\"Why?\" she asked."]);
  });

  test("titles, initials and initialisms do not end a sentence", () => {
    expect(sentences("Mr. Putin met George W. Bush and U.S. officials. Dr. No left.")).toEqual([
      "Mr. Putin met George W. Bush and U.S. officials.", "Dr. No left.",
    ]);
  });

  test("every line break ends a sentence", () => {
    expect(sentences("Headline without period\nBody starts here, no period\n\nNext paragraph. second part")).toEqual([
      "Headline without period", "Body starts here, no period", "Next paragraph. second part",
    ]);
  });

  test("Chinese and Japanese full stops end a sentence without a space", () => {
    expect(sentences("東京に行きます。大阪！「はい。」次")).toEqual(["東京に行きます。", "大阪！", "「はい。」", "次"]);
  });

  test("no tokens, no sentences", () => {
    expect(splitSentences("   ", tokenize("   "))).toEqual([]);
  });

  test("sentences partition the tokens in order", () => {
    const sentencey = fc.oneof(anyText, fc.array(fc.constantFrom("Putin", "met", "U.S", "Mr", ".", "!", "?", "”", "“", " ", "\n", "12", "。"), { maxLength: 40 }).map((p) => p.join("")));
    fc.assert(
      fc.property(sentencey, (text) => {
        const tokens = tokenize(text);
        const result = splitSentences(text, tokens);
        let next = 0;
        for (const sentence of result) {
          expect(sentence.tokenStart).toBe(next);
          expect(sentence.tokenEnd).toBeGreaterThan(sentence.tokenStart);
          expect(sentence.start).toBe(tokens[sentence.tokenStart]!.start);
          expect(sentence.end).toBe(tokens[sentence.tokenEnd - 1]!.end);
          next = sentence.tokenEnd;
        }
        expect(next).toBe(tokens.length);
      }),
      { numRuns: 300 },
    );
  });
});
