/*
 * Hand-assembled JSON for the hot loops of the exports (a record per token or sentence): the same text as
 * JSON.stringify, without building an object per value first.
 */

/** What JSON.stringify escapes in a string: `"`, `\`, control characters, and (lone) surrogates. */
const needsEscape = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify(value) for a string. */
export function jsonString(value: string): string {
  return needsEscape.test(value) ? JSON.stringify(value) : `"${value}"`;
}

/** JSON.stringify(value) for a string or null. */
export function jsonStringOrNull(value: string | null): string {
  return value === null ? "null" : jsonString(value);
}

/** A cache of jsonString for a small set of values (labels, tags). */
export function jsonStringCache(): (value: string) => string {
  const cache = new Map<string, string>();
  return (value) => {
    let json = cache.get(value);
    if (json === undefined) cache.set(value, (json = jsonString(value)));
    return json;
  };
}
