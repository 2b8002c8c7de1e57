const wordCharacter = /[\p{L}\p{N}_]/u;

export interface NamedEntity {
  name: string;
  aliases: string[];
}

/**
 * Untagged places in `text` where the entity's name or one of its aliases occurs as a whole word (case-sensitive):
 * the "tag the other N mentions" offer. Longer names win where two overlap ("Vladimir Putin" over "Putin"); places
 * overlapping a span of `tagged` (the entity mentions already there) are left out.
 */
export function findNameOccurrences(text: string, entity: NamedEntity, tagged: { start: number; end: number }[]) {
  const names = [...new Set([entity.name, ...entity.aliases].map((name) => name.trim()).filter((name) => name.length > 1))].sort(
    (a, b) => b.length - a.length,
  );
  const found: { start: number; end: number; quote: string }[] = [];
  const overlaps = (spans: { start: number; end: number }[], start: number, end: number) => spans.some((span) => span.start < end && start < span.end);
  for (const name of names) {
    for (let start = text.indexOf(name); start >= 0; start = text.indexOf(name, start + 1)) {
      const end = start + name.length;
      const isWholeWord = !wordCharacter.test(text[start - 1] ?? "") && !wordCharacter.test(text[end] ?? "");
      if (isWholeWord && !overlaps(found, start, end) && !overlaps(tagged, start, end)) found.push({ start, end, quote: name });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}
