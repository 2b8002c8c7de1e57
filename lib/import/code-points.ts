/*
 * Unicode code point offsets → UTF-16 offsets for many offsets into one text (the inverse of
 * lib/export/code-points.ts): brat counts code points, Spanlight stores UTF-16 code units.
 */

export type Utf16Mapper = (codePointOffset: number) => number | null;

/** A function from a code point offset (0…number of code points) to its UTF-16 offset in `text`; null past the end. */
export function createUtf16Mapper(text: string): Utf16Mapper {
  let hasSurrogate = false;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdfff) {
      hasSurrogate = true;
      break;
    }
  }
  if (!hasSurrogate) return (offset) => (Number.isInteger(offset) && offset >= 0 && offset <= text.length ? offset : null);
  const starts: number[] = [];
  for (let i = 0; i < text.length; i++) {
    starts.push(i);
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
  }
  starts.push(text.length);
  return (offset) => (Number.isInteger(offset) && offset >= 0 && offset < starts.length ? starts[offset]! : null);
}
