/*
 * CoNLL-2003 style: one token a line, four space-separated columns `token -X- _ TAG` (the token, a placeholder for
 * the part-of-speech column, `_` for the chunk column, the IOB2 entity tag); `-DOCSTART- -X- -X- O` and a blank line
 * open each document; a blank line ends each sentence. Tokens and sentences: lib/text/tokenize.ts; tags: iob.ts.
 * Tokens never contain whitespace, so the columns stay unambiguous. With `layer=all`, one document per article and
 * layer (gold first, then annotators by name), in that order.
 */
import type { ExportArticle, ExportContext } from "./model";
import { prepareArticle, type PreparedArticle } from "./prepared";

export const conllDocStart = "-DOCSTART- -X- -X- O";

/** The CoNLL lines of one article (one document per layer group), a sentence at a time (see spacy.ts on why). */
export function conllArticle(article: ExportArticle, ctx: ExportContext, prepared: PreparedArticle = prepareArticle(article, ctx)): string[] {
  if (!prepared.groups.length) return [];
  const { sentences } = prepared.analysis;
  const tokens = prepared.tokenTexts;
  const pieces: string[] = [];
  for (const group of prepared.groups) {
    const tags = prepared.tags(group);
    pieces.push(`${conllDocStart}\n\n`);
    for (const sentence of sentences) {
      let lines = "";
      for (let t = sentence.tokenStart; t < sentence.tokenEnd; t++) lines += `${tokens[t]} -X- _ ${tags[t]}\n`;
      pieces.push(`${lines}\n`);
    }
  }
  return pieces;
}
