// Spans an annotator might tag in a text: runs of one to three capitalised words ("Vladimir Putin", "Syria"), with
// offsets in UTF-16 code units and the exact quote, so every create the load makes is valid.

export interface Span {
  start: number;
  end: number;
  quote: string;
}

const capitalisedRun = /\p{Lu}[\p{L}\p{M}’'-]*(?: \p{Lu}[\p{L}\p{M}’'-]*){0,2}/gu;

/** Every capitalised run of the text (distinct offsets), in text order. */
export function candidateSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(capitalisedRun)) {
    const quote = match[0].replace(/['’-]+$/u, "");
    if (quote.length < 2) continue;
    spans.push({ start: match.index, end: match.index + quote.length, quote });
  }
  return spans;
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so runs make the same kind of traffic. */
export function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed for randomSource from a name (FNV-1a). */
export function seedOf(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

export function pick<T>(items: readonly T[], random: () => number): T {
  if (items.length === 0) throw new Error("pick from an empty list");
  return items[Math.floor(random() * items.length)]!;
}
