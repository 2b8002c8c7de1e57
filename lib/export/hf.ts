/*
 * Hugging Face token classification JSON Lines, one record per sentence:
 * `{"id": "<articleId>-<layer>-<n>", "article_id", "layer", "annotator", "sentence": n, "tokens": [...], "ner_tags": ["B-PER", ...]}`
 * `datasets.load_dataset("json", data_files=...)` reads it as is; `ner_tags` are strings, their names in order
 * are `iobLabelNames` (the dataset card lists them) for a ClassLabel cast. Tokens, sentences, tags: iob.ts.
 */
import { jsonString, jsonStringCache, jsonStringOrNull } from "./json";
import type { ExportArticle, ExportContext } from "./model";
import { prepareArticle, type PreparedArticle } from "./prepared";

/**
 * One JSON line per sentence and layer group, assembled by hand (the same text as JSON.stringify of the record); the
 * lines in order, to be written one after the other (see spacy.ts on why not one string).
 */
export function hfArticle(article: ExportArticle, ctx: ExportContext, prepared: PreparedArticle = prepareArticle(article, ctx)): string[] {
  if (!prepared.groups.length) return [];
  const { sentences } = prepared.analysis;
  const tokenJson = prepared.tokenJson;
  const sentenceTokens = sentences.map((sentence) => tokenJson.slice(sentence.tokenStart, sentence.tokenEnd).join(","));
  const articleId = jsonString(article.id);
  const tag = jsonStringCache();
  const lines: string[] = [];
  for (const group of prepared.groups) {
    const tags = prepared.tags(group);
    const layer = group.layer === "gold" ? "gold" : group.annotator!.id;
    const idPrefix = `${article.id}-${layer}-`;
    const fields = `"article_id":${articleId},"layer":${jsonString(layer)},"annotator":${jsonStringOrNull(group.annotator?.name ?? null)},"sentence":`;
    for (let n = 0; n < sentences.length; n++) {
      const sentence = sentences[n]!;
      let nerTags = "";
      for (let t = sentence.tokenStart; t < sentence.tokenEnd; t++) nerTags += `${t > sentence.tokenStart ? "," : ""}${tag(tags[t]!)}`;
      lines.push(`{"id":${jsonString(idPrefix + n)},${fields}${n},"tokens":[${sentenceTokens[n]}],"ner_tags":[${nerTags}]}\n`);
    }
  }
  return lines;
}
