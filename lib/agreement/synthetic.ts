/*
 * Deterministic synthetic agreement input, for tests and the agreement benchmark: news-like texts (sentences of
 * words, curly quotes, paragraphs) and annotators who agree with each other on about 80% of mentions.
 */
import type { AgreementAnnotations, AgreementInput } from "./compute-agreement";
import type { Mention } from "./span-f1";
import type { StanceTuple } from "./stance-f1";

export type SyntheticOptions = {
  /** approximate length of each article in UTF-16 code units (default 5,000) */
  charsPerArticle?: number;
  /** stance tuples per annotator and article (default 3) */
  stancesPerAnnotator?: number;
  /** entity types (default PER, ORG, LOC, MISC) */
  labels?: string[];
};

// Every word is exactly one token.
const WORDS = [
  "the", "president", "said", "on", "talks", "with", "Putin", "Hollande", "Syria", "Moscow", "Paris", "minister", "foreign",
  "a", "of", "in", "and", "to", "that", "was", "were", "Putin’s", "al-Assad", "U.S", "1,200", "2015", "coalition", "strikes",
  "Islamic", "State", "Kremlin", "Elysee", "after", "before", "meeting", "agreed", "differences", "narrowed", "French",
  "Russian", "officials", "would", "not", "it’s", "air", "forces", "rebels", "groups", "peace", "plan", "Geneva", "Obama",
  "Lavrov", "Fabius", "weeks", "about", "which", "their", "had", "also",
];
const POLARITIES = ["FAVOR", "AGAINST", "NEUTRAL"];

/** mulberry32: a small deterministic PRNG returning floats in [0, 1). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function buildText(rand: () => number, chars: number): { text: string; words: Array<[number, number]> } {
  const parts: string[] = [];
  const words: Array<[number, number]> = [];
  let length = 0;
  const emit = (part: string, isWord: boolean) => {
    if (isWord) words.push([length, length + part.length]);
    parts.push(part);
    length += part.length;
  };
  while (length < chars) {
    const sentences = 3 + Math.floor(rand() * 4);
    for (let s = 0; s < sentences && length < chars; s++) {
      if (s > 0) emit(" ", false);
      const quoted = rand() < 0.1;
      if (quoted) emit("“", false);
      const count = 8 + Math.floor(rand() * 13);
      for (let w = 0; w < count; w++) {
        if (w > 0) emit(rand() < 0.08 ? ", " : " ", false);
        let word = WORDS[Math.floor(rand() * WORDS.length)]!;
        if (w === 0) word = word[0]!.toUpperCase() + word.slice(1);
        emit(word, true);
      }
      emit(rand() < 0.1 ? "?" : ".", false);
      if (quoted) emit("”", false);
    }
    emit("\n\n", false);
  }
  return { text: parts.join(""), words };
}

/**
 * `articles` articles of about 5,000 characters, each annotated by all `annotators` annotators with about
 * `spansPerAnnotator` mentions (aligned to tokens, not overlapping) and a few stance tuples. Each annotator follows
 * a common base for about 90% of mentions and tuples (so two annotators agree on about 80%); the rest have other
 * boundaries, another type or polarity, or sit elsewhere. The same arguments always give the same input.
 */
export function buildSyntheticAgreementInput(articles: number, annotators: number, spansPerAnnotator: number, seed: number, options: SyntheticOptions = {}): AgreementInput {
  const rand = random(seed);
  const labels = options.labels ?? ["PER", "ORG", "LOC", "MISC"];
  const chars = options.charsPerArticle ?? 5000;
  const stancesPerAnnotator = options.stancesPerAnnotator ?? 3;
  const userIds = Array.from({ length: annotators }, (_, i) => `u${i + 1}`);
  const annotatorNames: Record<string, string> = {};
  userIds.forEach((id, i) => (annotatorNames[id] = `Annotator ${i + 1}`));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;

  const out: AgreementInput["articles"][number][] = [];
  for (let a = 0; a < articles; a++) {
    const { text, words } = buildText(rand, chars);
    // Base mentions: one per slot of words, 1 to 3 words long, so that they never overlap.
    const slot = Math.max(1, Math.floor(words.length / Math.max(1, spansPerAnnotator)));
    const base: Array<{ first: number; last: number; label: string }> = [];
    for (let s = 0; s < spansPerAnnotator && s * slot < words.length; s++) {
      const width = Math.min(slot, 1 + Math.floor(rand() * 3));
      const first = s * slot + Math.floor(rand() * (slot - width + 1));
      base.push({ first, last: Math.min(words.length - 1, first + width - 1), label: pick(labels) });
    }
    const entities = Array.from({ length: 8 }, (_, i) => `e${a}-${i}`);
    const baseStances: StanceTuple[] = Array.from({ length: stancesPerAnnotator }, () => ({ holderEntityId: pick(entities), targetEntityId: pick(entities), polarity: pick(POLARITIES) }));

    const layers: AgreementAnnotations[] = userIds.map((userId) => {
      const mentions: Mention[] = base.map((b, s) => {
        const r = rand();
        let { first, last, label } = b;
        if (r < 0.9) {
          // follows the base
        } else if (r < 0.93) {
          if (last > first && rand() < 0.5) last--;
          else if (last + 1 < Math.min(words.length, (s + 1) * slot)) last++;
          else if (first > s * slot) first--;
        } else if (r < 0.96) label = labels[(labels.indexOf(label) + 1) % labels.length]!;
        else {
          // a one-word mention somewhere else in the slot
          first = last = s * slot + Math.floor(rand() * slot);
        }
        return { start: words[first]![0], end: words[last]![1], label };
      });
      const stances = baseStances.map((t) => (rand() < 0.9 ? { ...t } : { ...t, polarity: POLARITIES[(POLARITIES.indexOf(t.polarity) + 1) % POLARITIES.length]! }));
      return { userId, mentions, stances };
    });
    out.push({ id: `article-${a + 1}`, title: `Synthetic article ${a + 1}`, text, annotators: layers });
  }
  return { labels, articles: out, annotatorNames };
}
