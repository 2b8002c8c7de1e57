/** 32-bit FNV-1a of a string's UTF-16 code units, from `seed`, as 8 hex digits. */
function fnv1a(text: string, seed: number): string {
  let hash = seed >>> 0;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

/**
 * The key of a comparison group: the same kind and member annotation ids give the same key, in any order, on
 * server and client alike. Adding or removing a member makes a new group with a new key.
 */
export function comparisonGroupKey(kind: "entity" | "stance", memberIds: readonly string[]): string {
  const source = `${kind}:${[...memberIds].sort().join(",")}`;
  return `${kind}-${fnv1a(source, 0x811c9dc5)}${fnv1a(source, 0x2545f491)}`;
}
