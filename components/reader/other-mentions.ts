import type { ClientAnnotation, ClientEntity } from "./types";

const wordCharacter = /[\p{L}\p{N}_]/u;

/**
 * Untagged places in `text` where the entity's name or one of its aliases occurs as a whole word: the
 * "tag the other N mentions" offer. Longer names win where two overlap ("Vladimir Putin" over "Putin").
 */
export function findOtherMentions(text: string, entity: ClientEntity, annotations: ClientAnnotation[]) {
  const tagged = annotations.filter((annotation) => annotation.kind === "entity");
  const names = [...new Set([entity.name, ...entity.aliases].map((name) => name.trim()).filter((name) => name.length > 1))].sort(
    (a, b) => b.length - a.length,
  );
  const found: { start: number; end: number; quote: string }[] = [];
  for (const name of names) {
    for (let start = text.indexOf(name); start >= 0; start = text.indexOf(name, start + 1)) {
      const end = start + name.length;
      const isWholeWord = !wordCharacter.test(text[start - 1] ?? "") && !wordCharacter.test(text[end] ?? "");
      const overlapsFound = found.some((span) => span.start < end && start < span.end);
      const isTagged = tagged.some((annotation) => annotation.start < end && start < annotation.end);
      if (isWholeWord && !overlapsFound && !isTagged) found.push({ start, end, quote: name });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}
