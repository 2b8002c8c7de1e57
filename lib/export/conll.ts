/*
 * CoNLL-2003 style: one token a line, four space-separated columns `token -X- _ TAG` (the token, a placeholder for
 * the part-of-speech column, `_` for the chunk column, the IOB2 entity tag); `-DOCSTART- -X- -X- O` and a blank line
 * open each document; a blank line ends each sentence. Tokens and sentences: lib/text/tokenize.ts; tags: iob.ts.
 * Tokens never contain whitespace, so the columns stay unambiguous. With `layer=all`, one document per article and
 * layer (gold first, then annotators by name), in that order.
 */
import { analyzeText, iobTags, type TextAnalysis } from "./iob";
import { layerGroups, type ExportArticle, type ExportContext } from "./model";

export const conllDocStart = "-DOCSTART- -X- -X- O";

/** The CoNLL lines of one article (one document per layer group). */
export function conllArticle(article: ExportArticle, ctx: ExportContext, analysis: TextAnalysis = analyzeText(article.text)): string {
  const out: string[] = [];
  for (const group of layerGroups(article, ctx.layer)) {
    const tags = iobTags(analysis, group.annotations);
    out.push(conllDocStart, "");
    for (const sentence of analysis.sentences) {
      for (let t = sentence.tokenStart; t < sentence.tokenEnd; t++) {
        const token = analysis.tokens[t]!;
        out.push(`${article.text.slice(token.start, token.end)} -X- _ ${tags[t]}`);
      }
      out.push("");
    }
  }
  return out.length ? `${out.join("\n")}\n` : "";
}
