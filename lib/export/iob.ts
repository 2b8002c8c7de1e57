/*
 * Tokens, sentences and IOB2 tags for the token-based exports (CoNLL, spaCy, Hugging Face). Tokens and sentences
 * are THE project tokenization (lib/text/tokenize.ts), the one the agreement figures count.
 *
 * IOB2 from entity mentions, with the agreement's covering rule (lib/agreement/token-labels.ts): a token belongs to
 * the mention covering it (any overlap, so a mention ending inside a token labels the whole token); where several
 * cover it, the longest mention wins, then the one starting first, then the label name. A token gets `B-<type>` when
 * it is the first token of a sentence or its winning mention differs from the previous token's, else `I-<type>`.
 * So a mention nested in a longer one disappears, and a mention partly overlapped by a longer one keeps only its
 * tokens outside the longer one (starting with B-).
 */
import { coveringMentions, OUTSIDE } from "../agreement/token-labels";
import type { Mention } from "../agreement/span-f1";
import { splitSentences, tokenizeToArrays, type Sentence, type Token } from "../text/tokenize";
import type { ExportAnnotation } from "./model";

export interface TextAnalysis {
  tokens: Token[];
  starts: Int32Array;
  ends: Int32Array;
  sentences: Sentence[];
}

export function analyzeText(text: string): TextAnalysis {
  const { count, starts, ends } = tokenizeToArrays(text);
  const tokens: Token[] = new Array(count);
  for (let i = 0; i < count; i++) tokens[i] = { start: starts[i]!, end: ends[i]! };
  return { tokens, starts, ends, sentences: splitSentences(text, tokens) };
}

/** The label of an entity mention: its own type. */
export function mentionLabel(annotation: ExportAnnotation): string {
  return annotation.entityType ?? annotation.entity?.type ?? "MISC";
}

/** The IOB2 tag of every token from the entity mentions among `annotations` (stances are ignored). */
export function iobTags(analysis: TextAnalysis, annotations: readonly ExportAnnotation[]): string[] {
  const mentions: Mention[] = [];
  for (const annotation of annotations) if (annotation.kind === "entity") mentions.push({ start: annotation.start, end: annotation.end, label: mentionLabel(annotation) });
  const count = analysis.tokens.length;
  const winner = coveringMentions(analysis.starts, analysis.ends, count, mentions);
  const tags: string[] = new Array(count).fill(OUTSIDE);
  for (const sentence of analysis.sentences) {
    for (let t = sentence.tokenStart; t < sentence.tokenEnd; t++) {
      const m = winner[t]!;
      if (m < 0) continue;
      const begins = t === sentence.tokenStart || winner[t - 1] !== m;
      tags[t] = `${begins ? "B" : "I"}-${mentions[m]!.label}`;
    }
  }
  return tags;
}

/** The tag set of the token-based exports: "O", then B- and I- of each type in the project's order. */
export function iobLabelNames(entityTypes: readonly string[]): string[] {
  return [OUTSIDE, ...entityTypes.flatMap((type) => [`B-${type}`, `I-${type}`])];
}
