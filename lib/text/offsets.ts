/*
 * Offsets are half-open [start, end) in UTF-16 code units (JavaScript string indices) over the canonical
 * text. Exports for Python tools convert to Unicode code points with these functions.
 */

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** True when a span boundary at `offset` would fall between the two halves of a surrogate pair. */
export function splitsSurrogatePair(text: string, offset: number): boolean {
  return offset > 0 && offset < text.length && isHighSurrogate(text.charCodeAt(offset - 1)) && isLowSurrogate(text.charCodeAt(offset));
}

/** Why [start, end) is not a valid span of `text` with this quote, or null when it is. */
export function checkSpan(text: string, start: number, end: number, quote: string): string | null {
  if (!Number.isInteger(start) || !Number.isInteger(end)) return "start and end must be integers";
  if (start < 0 || end > text.length) return `the span [${start}, ${end}) is outside the text (length ${text.length} UTF-16 code units)`;
  if (start >= end) return `start (${start}) must be less than end (${end})`;
  if (splitsSurrogatePair(text, start) || splitsSurrogatePair(text, end)) return "the span splits a surrogate pair (an emoji or other astral character)";
  const actual = text.slice(start, end);
  if (actual !== quote) return `quote does not match the text at [${start}, ${end}): the text there is ${JSON.stringify(actual)}`;
  return null;
}

/** Converts a UTF-16 offset into a Unicode code point offset. */
export function utf16ToCodePoint(text: string, offset: number): number {
  let codePoints = 0;
  for (let i = 0; i < offset; i++) {
    codePoints++;
    if (isHighSurrogate(text.charCodeAt(i)) && i + 1 < offset && isLowSurrogate(text.charCodeAt(i + 1))) i++;
  }
  return codePoints;
}

/** Converts a Unicode code point offset into a UTF-16 offset. */
export function codePointToUtf16(text: string, codePointOffset: number): number {
  let i = 0;
  for (let seen = 0; seen < codePointOffset && i < text.length; seen++) {
    i += isHighSurrogate(text.charCodeAt(i)) && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1)) ? 2 : 1;
  }
  return i;
}

/** Finds the `occurrence`-th (0-based) exact occurrence of `quote`; returns its span or null. */
export function findOccurrence(text: string, quote: string, occurrence = 0): { start: number; end: number } | null {
  let from = 0;
  for (let seen = 0; ; seen++) {
    const start = text.indexOf(quote, from);
    if (start < 0) return null;
    if (seen === occurrence) return { start, end: start + quote.length };
    from = start + 1;
  }
}
