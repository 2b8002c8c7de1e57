/*
 * UTF-16 offsets → Unicode code point offsets for many offsets into one text. lib/text/offsets.ts utf16ToCodePoint
 * walks the text once per offset; exports convert thousands of offsets per article, so this builds the table once.
 */

export type CodePointMapper = (utf16Offset: number) => number;

/** A function from a UTF-16 offset (0…text.length) to its code point offset in `text`. */
export function createCodePointMapper(text: string): CodePointMapper {
  let firstSurrogate = -1;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdfff) {
      firstSurrogate = i;
      break;
    }
  }
  if (firstSurrogate < 0) return (offset) => offset;
  const table = new Int32Array(text.length + 1);
  let codePoints = 0;
  for (let i = 0; i < text.length; i++) {
    table[i] = codePoints;
    const unit = text.charCodeAt(i);
    const pair = unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    if (pair) table[++i] = codePoints; // the middle of a pair maps to the pair's start
    codePoints++;
  }
  table[text.length] = codePoints;
  return (offset) => table[offset]!;
}
