/*
 * Text that can be stored as sent. PostgreSQL text is UTF-8: it cannot hold U+0000, and a lone surrogate (half of a
 * UTF-16 surrogate pair) has no UTF-8 encoding: the database refuses it (a 500), or U+FFFD is stored in its place
 * and the text is no longer what the client sent. Both are refused up front with 422.
 */

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `text` holds a UTF-16 surrogate without its other half. */
export function hasLoneSurrogate(text: string): boolean {
  return loneSurrogate.test(text);
}

export const loneSurrogateMessage = "contains a lone surrogate (half of a surrogate pair, e.g. a cut emoji), which is not Unicode text and cannot be stored. Send whole characters.";
