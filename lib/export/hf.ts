/*
 * Hugging Face token classification JSON Lines, one record per sentence:
 * `{"id": "<articleId>-<layer>-<n>", "article_id", "layer", "annotator", "sentence": n, "tokens": [...], "ner_tags": ["B-PER", ...]}`
 * `datasets.load_dataset("json", data_files=...)` reads it as is; `ner_tags` are strings, their names in order
 * are `iobLabelNames` (the dataset card lists them) for a ClassLabel cast. Tokens, sentences, tags: iob.ts.
 */
import { analyzeText, iobTags, type TextAnalysis } from "./iob";
import { layerGroups, type ExportArticle, type ExportContext } from "./model";

export function hfArticle(article: ExportArticle, ctx: ExportContext, analysis: TextAnalysis = analyzeText(article.text)): string {
  let out = "";
  for (const group of layerGroups(article, ctx.layer)) {
    const tags = iobTags(analysis, group.annotations);
    const layer = group.layer === "gold" ? "gold" : group.annotator!.id;
    analysis.sentences.forEach((sentence, n) => {
      const tokens: string[] = [];
      for (let t = sentence.tokenStart; t < sentence.tokenEnd; t++) tokens.push(article.text.slice(analysis.tokens[t]!.start, analysis.tokens[t]!.end));
      const record = {
        id: `${article.id}-${layer}-${n}`,
        article_id: article.id,
        layer,
        annotator: group.annotator?.name ?? null,
        sentence: n,
        tokens,
        ner_tags: tags.slice(sentence.tokenStart, sentence.tokenEnd),
      };
      out += `${JSON.stringify(record)}\n`;
    });
  }
  return out;
}
