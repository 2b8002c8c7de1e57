import { splitsSurrogatePair } from "./offsets";

const wordSegmenter = new Intl.Segmenter(undefined, { granularity: "word" });
const whitespace = /\s/u;

/**
 * Cleans up a selection into a span: drops surrounding whitespace, never ends inside a surrogate pair, and
 * (unless `exact`) widens both ends to whole words, so "ladimir Pu" becomes "Vladimir Putin".
 * Returns null when nothing but whitespace was selected.
 */
export function snapSelection(text: string, start: number, end: number, { exact = false } = {}): { start: number; end: number } | null {
  let from = Math.max(0, Math.min(start, end));
  let to = Math.min(text.length, Math.max(start, end));
  if (splitsSurrogatePair(text, from)) from -= 1;
  if (splitsSurrogatePair(text, to)) to += 1;
  while (from < to && whitespace.test(text[from]!)) from++;
  while (to > from && whitespace.test(text[to - 1]!)) to--;
  if (from >= to) return null;
  if (!exact) {
    from = wordStartAt(text, from);
    to = wordEndAt(text, to);
  }
  return { start: from, end: to };
}

function segmentAround(text: string, offset: number) {
  // Segment a window around the offset: words are short, and articles can be megabytes long.
  const windowStart = Math.max(0, offset - 200);
  const window = text.slice(windowStart, Math.min(text.length, offset + 200));
  for (const segment of wordSegmenter.segment(window)) {
    const segmentStart = windowStart + segment.index;
    const segmentEnd = segmentStart + segment.segment.length;
    if (segmentStart <= offset && offset < segmentEnd) return { start: segmentStart, end: segmentEnd, isWord: segment.isWordLike ?? false };
  }
  return null;
}

function wordStartAt(text: string, offset: number): number {
  const segment = segmentAround(text, offset);
  return segment?.isWord ? segment.start : offset;
}

function wordEndAt(text: string, offset: number): number {
  const segment = segmentAround(text, offset - 1);
  return segment?.isWord ? segment.end : offset;
}
