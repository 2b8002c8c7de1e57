/**
 * Tokenization and sentence splitting: THE tokenization of Spanlight. Agreement figures count these tokens, and
 * the CoNLL, spaCy and Hugging Face exports write them.
 *
 * Tokens are half-open `[start, end)` offsets in UTF-16 code units (JavaScript string indices) into the canonical
 * text. They are sorted, never overlap, are never empty and never contain whitespace.
 *
 * Tokens:
 * 1. Whitespace is what JavaScript's `\s` matches (Unicode White_Space except U+0085, plus U+FEFF). It separates
 *    tokens and is never part of one.
 * 2. A grapheme cluster (a user-perceived character, as `Intl.Segmenter` with `granularity: "grapheme"` finds it)
 *    is never split: "🇫🇷", "👍🏽", a ZWJ family and "e" + U+0301 stay whole. A cluster is classified by its first
 *    code point that is not an invisible format character (`\p{Cf}`); by its first code point if all are.
 *    Exception: whitespace always separates tokens, even inside a cluster (a space with a combining mark on it).
 * 3. A word is a maximal run of word characters: letters, marks and digits (`[\p{L}\p{M}\p{N}]`), combining
 *    marks included, except Han, Hiragana and Katakana characters (Unicode Script_Extensions), which are one
 *    token per character, as those scripts are written without spaces.
 * 4. Inside a word, one of `'` `’` `-` U+2010 U+2011 `.` or the soft hyphen U+00AD joins the word characters
 *    on both sides of it; a comma joins two decimal digits (`\p{Nd}`). So "Putin's", "Putin’s", "al-Assad",
 *    "U.S", "3.14", "1,000,000" and "rock'n'roll" are one token each. A joiner not followed by a word character
 *    is a token of its own: "U.S." is "U.S" and "."; "'90s" is "'" and "90s"; "well--known" is "well", "-",
 *    "-", "known". A missing space after a period is not guessed: "end.Next" is one token. A joiner carrying a
 *    combining mark is an ordinary symbol.
 * 5. Every other non-whitespace grapheme cluster is a token of its own: punctuation, symbols, emoji.
 *
 * Sentences (`splitSentences`) partition the tokens, in order. A sentence ends:
 * 1. at every line break: the whitespace between two tokens contains "\n" (canonical texts use "\n" only;
 *    "\r", U+2028 and U+2029 count too);
 * 2. after a token `.` `!` `?` `…` `‼` `⁇` `⁈` `⁉`, together with the terminator and closing tokens (`”` `"` `'`
 *    `’` `)` `]` `»` `›` `」` `』` `）` `］` `】`) directly attached to it (no whitespace in between), when the
 *    next token comes after whitespace and begins with an uppercase or caseless letter (`\p{Lu}`, `\p{Lt}`,
 *    `\p{Lo}`: Arabic, Chinese…), a digit (`\p{N}`) or is an opening quote or bracket (`“` `"` `'` `‘` `(` `[`
 *    `«` `‹` `„` `‚` `¿` `¡` `「` `『` `（` `［` `【`);
 *    except a `.` directly attached to a single letter ("W. Bush"), to a word containing an inner period
 *    ("U.S. officials", "e.g. Paris") or to one of the titles Mr Mrs Ms Dr Prof Gen Sen Rep Gov Lt Col Sgt Capt
 *    Adm Maj Rev St Mt Jr Sr vs Mme Mlle ("Mr. Putin"): no sentence ends there;
 * 3. after `。` `！` `？` `｡` and the closing tokens directly attached to them, whatever follows.
 */

export type Token = { start: number; end: number };
export type Sentence = { start: number; end: number; tokenStart: number; tokenEnd: number };
/** Tokens as two parallel arrays: token i is `[starts[i], ends[i])`, for `i < count`. */
export type TokenArrays = { count: number; starts: Int32Array; ends: Int32Array };

const K_OTHER = 0;
const K_WORD = 1;
const K_DIGIT = 2;
const K_CJK = 3;
const K_JOINER = 4;
const K_COMMA = 5;
const K_SPACE = 6;
const KIND_MASK = 7;
/** The code unit may join a neighbour into one grapheme cluster: its run of text needs Intl.Segmenter. */
const F_COMPLEX = 8;
/** The code point is an invisible format character (\p{Cf}). */
const F_FORMAT = 16;
/** The code unit is a combining mark (\p{M}). */
const F_MARK = 32;
/** The code unit is U+200C ZERO WIDTH NON-JOINER or U+200D ZERO WIDTH JOINER, which extend the cluster before them. */
const F_JOIN_CONTROL = 64;

const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;
const DIGIT_CHAR = /\p{Nd}/u;
const CJK_CHAR = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}]/u;
const FORMAT_CHAR = /\p{Cf}/u;

let bmpTable: Uint8Array | null = null;

/** Kind and flags of every BMP code unit, computed once with a few regular expression passes. */
function table(): Uint8Array {
  if (bmpTable) return bmpTable;
  const t = new Uint8Array(0x10000);
  const chunks: string[] = [];
  for (let from = 0; from < 0x10000; from += 0x1000) {
    const codes: number[] = [];
    // Surrogates stand in as U+0000 so that no two of them form a pair; they are marked complex below.
    for (let c = from; c < from + 0x1000; c++) codes.push(c >= 0xd800 && c <= 0xdfff ? 0 : c);
    chunks.push(String.fromCharCode(...codes));
  }
  const all = chunks.join("");
  const mark = (pattern: RegExp, apply: (code: number) => void) => {
    for (const match of all.matchAll(pattern)) apply(match.index);
  };
  mark(/[\p{L}\p{M}\p{N}]/gu, (c) => (t[c] = K_WORD));
  mark(/\p{Nd}/gu, (c) => (t[c] = K_DIGIT));
  mark(/[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}]/gu, (c) => {
    if (t[c] === K_WORD || t[c] === K_DIGIT) t[c] = K_CJK;
  });
  for (const c of [0x27, 0x2019, 0x2d, 0x2010, 0x2011, 0x2e, 0xad]) t[c] = K_JOINER;
  t[0x2c] = K_COMMA;
  // Code units that can join a neighbour into one grapheme cluster: marks (Extend, SpacingMark), format characters
  // (ZWJ, ZWNJ, Prepend), Hangul jamo, the few letters that are SpacingMark, Extend or Prepend, surrogates (emoji
  // modifiers, regional indicators, tags). Between two other code units there is always a cluster boundary.
  mark(/\p{M}/gu, (c) => (t[c]! |= F_COMPLEX | F_MARK));
  mark(/\p{Cf}/gu, (c) => (t[c]! |= F_COMPLEX | F_FORMAT));
  t[0x200c]! |= F_JOIN_CONTROL;
  t[0x200d]! |= F_JOIN_CONTROL;
  t[0xad] = K_JOINER | F_FORMAT; // the soft hyphen is a control for grapheme clusters: it joins nothing
  const complexRanges = [
    [0x1100, 0x11ff],
    [0xa960, 0xa97f],
    [0xd7b0, 0xd7ff],
    [0x0d4e, 0x0d4e],
    [0x0e33, 0x0e33],
    [0x0eb3, 0x0eb3],
    [0xff9e, 0xff9f],
  ] as const;
  for (const [from, to] of complexRanges) for (let c = from; c <= to; c++) t[c]! |= F_COMPLEX;
  for (let c = 0xd800; c <= 0xdfff; c++) t[c] = K_OTHER | F_COMPLEX;
  mark(/\s/g, (c) => (t[c] = K_SPACE));
  bmpTable = t;
  return t;
}

const astralKinds = new Map<number, number>();

/** Kind and flags of any code point (astral ones classified by regular expression, then remembered). */
function codePointKind(cp: number, t: Uint8Array): number {
  if (cp < 0x10000) return t[cp]!;
  let kind = astralKinds.get(cp);
  if (kind === undefined) {
    const char = String.fromCodePoint(cp);
    kind = WORD_CHAR.test(char) ? (CJK_CHAR.test(char) ? K_CJK : DIGIT_CHAR.test(char) ? K_DIGIT : K_WORD) : K_OTHER;
    if (FORMAT_CHAR.test(char)) kind |= F_FORMAT;
    astralKinds.set(cp, kind);
  }
  return kind;
}

let graphemes: Intl.Segmenter | null = null;

class TokenSink {
  count = 0;
  starts: Int32Array;
  ends: Int32Array;
  constructor(capacity: number) {
    this.starts = new Int32Array(Math.max(16, capacity));
    this.ends = new Int32Array(Math.max(16, capacity));
  }
  push(start: number, end: number) {
    if (this.count === this.starts.length) {
      const starts = new Int32Array(this.count * 2);
      starts.set(this.starts);
      this.starts = starts;
      const ends = new Int32Array(this.count * 2);
      ends.set(this.ends);
      this.ends = ends;
    }
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.count++;
  }
}

function isWordKind(kind: number): boolean {
  return kind === K_WORD || kind === K_DIGIT;
}

/**
 * Tokens of [from, to), a run without whitespace in which every code unit is a grapheme cluster of its own, except
 * combining marks, ZWJ and ZWNJ that follow a word character: they extend its cluster, and the word goes on.
 */
function tokenizeSimpleRun(text: string, from: number, to: number, t: Uint8Array, out: TokenSink) {
  let k = from;
  while (k < to) {
    const kind = t[text.charCodeAt(k)]! & KIND_MASK;
    if (kind !== K_WORD && kind !== K_DIGIT) {
      out.push(k, k + 1);
      k++;
      continue;
    }
    let j = k + 1;
    let last = kind; // the kind of the last cluster's base character, for the comma between digits
    for (;;) {
      while (j < to) {
        const next = t[text.charCodeAt(j)]!;
        const nextKind = next & KIND_MASK;
        if (next & F_JOIN_CONTROL) {
          j++;
          continue;
        }
        if (nextKind !== K_WORD && nextKind !== K_DIGIT) break;
        if (!(next & F_MARK)) last = nextKind;
        j++;
      }
      if (j + 1 < to) {
        const joiner = t[text.charCodeAt(j)]! & KIND_MASK;
        const after = t[text.charCodeAt(j + 1)]! & KIND_MASK;
        if ((joiner === K_JOINER && isWordKind(after)) || (joiner === K_COMMA && last === K_DIGIT && after === K_DIGIT)) {
          last = after;
          j += 2;
          continue;
        }
      }
      break;
    }
    out.push(k, j);
    k = j;
  }
}

/** Kind of a grapheme cluster [start, end): that of its first code point that is not a format character. */
function clusterKind(text: string, start: number, end: number, t: Uint8Array): number {
  let kind = -1;
  for (let i = start; i < end; ) {
    const cp = text.codePointAt(i)!;
    const k = codePointKind(cp, t);
    if (kind < 0) kind = k & KIND_MASK;
    if (!(k & F_FORMAT)) {
      kind = k & KIND_MASK;
      break;
    }
    i += cp > 0xffff ? 2 : 1;
  }
  // A joiner with a mark on it is no longer a joiner.
  if ((kind === K_JOINER || kind === K_COMMA) && end - start !== 1) return K_OTHER;
  return kind < 0 ? K_OTHER : kind;
}

/**
 * Tokens of [from, to), a run without whitespace, grapheme cluster by grapheme cluster. Between two adjacent
 * non-complex code units there is always a cluster boundary, so only the stretches between such pairs go through
 * Intl.Segmenter (all of the run with `whole`).
 */
function tokenizeClusters(text: string, from: number, to: number, t: Uint8Array, out: TokenSink, whole: boolean) {
  graphemes ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  const bounds: number[] = [];
  const kinds: number[] = [];
  let p = from;
  while (p < to) {
    let q = p + 1;
    if (whole) q = to;
    else while (q < to && (t[text.charCodeAt(q - 1)]! & F_COMPLEX || t[text.charCodeAt(q)]! & F_COMPLEX)) q++;
    if (q - p === 1) {
      bounds.push(p);
      kinds.push(t[text.charCodeAt(p)]! & KIND_MASK);
    } else {
      for (const { index, segment } of graphemes.segment(text.slice(p, q))) {
        bounds.push(p + index);
        kinds.push(clusterKind(text, p + index, p + index + segment.length, t));
      }
    }
    p = q;
  }
  bounds.push(to);
  const n = kinds.length;
  let k = 0;
  while (k < n) {
    const kind = kinds[k]!;
    if (kind !== K_WORD && kind !== K_DIGIT) {
      out.push(bounds[k]!, bounds[k + 1]!);
      k++;
      continue;
    }
    let j = k + 1;
    let last = kind;
    for (;;) {
      while (j < n && isWordKind(kinds[j]!)) last = kinds[j++]!;
      if (j + 1 < n) {
        const joiner = kinds[j]!;
        const after = kinds[j + 1]!;
        if ((joiner === K_JOINER && isWordKind(after)) || (joiner === K_COMMA && last === K_DIGIT && after === K_DIGIT)) {
          last = after;
          j += 2;
          continue;
        }
      }
      break;
    }
    out.push(bounds[k]!, bounds[j]!);
    k = j;
  }
}

/**
 * Tokenizes the whole run of non-whitespace around `at` (dropping tokens already emitted for it); returns its end.
 * The run needs the segmenter when it has a code unit that may join a neighbour into one cluster, other than a
 * combining mark, ZWJ or ZWNJ right after a (non-CJK) word character.
 */
function tokenizeRunAround(text: string, at: number, t: Uint8Array, out: TokenSink, force: boolean): number {
  let from = at;
  while (from > 0 && (t[text.charCodeAt(from - 1)]! & KIND_MASK) !== K_SPACE) from--;
  while (out.count > 0 && out.starts[out.count - 1]! >= from) out.count--;
  let c = t[text.charCodeAt(from)]!;
  let needsSegmenter = force || (c & F_COMPLEX) !== 0;
  let previousKind = c & KIND_MASK;
  let to = from + 1;
  for (; to < text.length; to++) {
    c = t[text.charCodeAt(to)]!;
    let kind = c & KIND_MASK;
    if (kind === K_SPACE) break;
    if (c & F_COMPLEX) {
      const afterWord = previousKind === K_WORD || previousKind === K_DIGIT;
      if (afterWord && c & F_JOIN_CONTROL) kind = K_WORD;
      else if (!(afterWord && c & F_MARK && kind === K_WORD)) needsSegmenter = true;
    }
    previousKind = kind;
  }
  if (needsSegmenter) tokenizeClusters(text, from, to, t, out, force);
  else tokenizeSimpleRun(text, from, to, t, out);
  return to;
}

/**
 * The tokens of `text` as parallel offset arrays (no object per token); see the rules at the top of this file.
 * One pass over plain text; a run of non-whitespace with a code unit that may join a neighbour into one grapheme
 * cluster (a mark, a format character, a surrogate…) is redone as a whole by `tokenizeRunAround`.
 * `forceSegmenter` (for tests) sends every run through Intl.Segmenter: the result is the same.
 */
export function tokenizeToArrays(text: string, options: { forceSegmenter?: boolean } = {}): TokenArrays {
  const t = table();
  const out = new TokenSink((text.length >> 2) + 16);
  const n = text.length;
  let i = 0;
  if (options.forceSegmenter) {
    while (i < n) {
      if ((t[text.charCodeAt(i)]! & KIND_MASK) === K_SPACE) i++;
      else i = tokenizeRunAround(text, i, t, out, true);
    }
  }
  outer: while (i < n) {
    const c = t[text.charCodeAt(i)]!;
    const kind = c & KIND_MASK;
    if (kind === K_SPACE) {
      i++;
      continue;
    }
    if (c & F_COMPLEX) {
      i = tokenizeRunAround(text, i, t, out, false);
      continue;
    }
    if (kind !== K_WORD && kind !== K_DIGIT) {
      out.push(i, i + 1);
      i++;
      continue;
    }
    let j = i + 1;
    let last = kind;
    for (;;) {
      while (j < n) {
        const next = t[text.charCodeAt(j)]!;
        if (next & F_COMPLEX) {
          i = tokenizeRunAround(text, j, t, out, false);
          continue outer;
        }
        const nextKind = next & KIND_MASK;
        if (nextKind !== K_WORD && nextKind !== K_DIGIT) break;
        last = nextKind;
        j++;
      }
      if (j + 1 < n) {
        const joiner = t[text.charCodeAt(j)]! & KIND_MASK;
        if (joiner === K_JOINER || joiner === K_COMMA) {
          const after = t[text.charCodeAt(j + 1)]!;
          if (after & F_COMPLEX) {
            i = tokenizeRunAround(text, j + 1, t, out, false);
            continue outer;
          }
          const afterKind = after & KIND_MASK;
          if ((joiner === K_JOINER && isWordKind(afterKind)) || (joiner === K_COMMA && last === K_DIGIT && afterKind === K_DIGIT)) {
            last = afterKind;
            j += 2;
            continue;
          }
        }
      }
      break;
    }
    out.push(i, j);
    i = j;
  }
  return { count: out.count, starts: out.starts.subarray(0, out.count), ends: out.ends.subarray(0, out.count) };
}

/** The tokens of `text`; see the rules at the top of this file. */
export function tokenize(text: string): Token[] {
  const { count, starts, ends } = tokenizeToArrays(text);
  const tokens: Token[] = new Array(count);
  for (let i = 0; i < count; i++) tokens[i] = { start: starts[i]!, end: ends[i]! };
  return tokens;
}

const TERMINATORS = new Set([".", "!", "?", "…", "‼", "⁇", "⁈", "⁉"]);
const CJK_TERMINATORS = new Set(["。", "！", "？", "｡"]);
const CLOSERS = new Set(["”", '"', "'", "’", ")", "]", "»", "›", "」", "』", "）", "］", "】"]);
const OPENERS = new Set(["“", '"', "'", "‘", "(", "[", "«", "‹", "„", "‚", "¿", "¡", "「", "『", "（", "［", "【"]);
const TITLES = new Set(["Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Sen", "Rep", "Gov", "Lt", "Col", "Sgt", "Capt", "Adm", "Maj", "Rev", "St", "Mt", "Jr", "Sr", "vs", "Mme", "Mlle"]);
const SENTENCE_START = /[\p{Lu}\p{Lt}\p{Lo}\p{N}]/uy;
const SINGLE_LETTER = /^\p{L}$/u;

function hasLineBreak(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029) return true;
  }
  return false;
}

/** True when the period token at `index` ends an abbreviation or initial rather than a sentence. */
function isAbbreviationPeriod(text: string, tokens: readonly Token[], index: number): boolean {
  if (index === 0) return false;
  const previous = tokens[index - 1]!;
  if (previous.end !== tokens[index]!.start) return false;
  const word = text.slice(previous.start, previous.end);
  if (SINGLE_LETTER.test(word) || TITLES.has(word)) return true;
  const innerPeriod = word.indexOf(".");
  return innerPeriod > 0 && innerPeriod < word.length - 1;
}

/** Splits the tokens of `text` (from `tokenize(text)`) into sentences; see the rules at the top of this file. */
export function splitSentences(text: string, tokens: readonly Token[]): Sentence[] {
  const sentences: Sentence[] = [];
  const n = tokens.length;
  let sentenceStart = 0;
  const close = (lastToken: number) => {
    sentences.push({ start: tokens[sentenceStart]!.start, end: tokens[lastToken]!.end, tokenStart: sentenceStart, tokenEnd: lastToken + 1 });
    sentenceStart = lastToken + 1;
  };
  let k = 0;
  while (k < n) {
    const token = tokens[k]!;
    const value = token.end - token.start <= 2 ? text.slice(token.start, token.end) : "";
    const cjk = CJK_TERMINATORS.has(value);
    if (cjk || (TERMINATORS.has(value) && !(value === "." && isAbbreviationPeriod(text, tokens, k)))) {
      // Attached terminators and closing quotes or brackets belong to this sentence.
      let last = k;
      while (last + 1 < n && tokens[last + 1]!.start === tokens[last]!.end) {
        const next = tokens[last + 1]!;
        const nextValue = text.slice(next.start, next.end);
        if (!(TERMINATORS.has(nextValue) || CJK_TERMINATORS.has(nextValue) || CLOSERS.has(nextValue))) break;
        last++;
      }
      if (last + 1 >= n) break;
      const gapStart = tokens[last]!.end;
      const next = tokens[last + 1]!;
      let ends = cjk || hasLineBreak(text, gapStart, next.start);
      if (!ends && next.start > gapStart) {
        SENTENCE_START.lastIndex = next.start;
        ends = SENTENCE_START.test(text) || OPENERS.has(text.slice(next.start, next.end));
      }
      if (ends) close(last);
      k = last + 1;
      continue;
    }
    if (k + 1 < n && hasLineBreak(text, token.end, tokens[k + 1]!.start)) close(k);
    k++;
  }
  if (sentenceStart < n) close(n - 1);
  return sentences;
}
