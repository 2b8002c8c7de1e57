/*
 * Turns a stream of articles into the bytes of an export, article by article: never the whole project in memory.
 * Pure (no database): the caller passes `source`, a function that starts a fresh pass over the articles (the
 * bundle makes one pass per format, so that each zip entry is written whole before the next begins).
 */
import { bratArticleFiles, bratPreamble } from "./brat";
import { conllArticle } from "./conll";
import { hfArticle } from "./hf";
import { jsonlArticle, jsonlHeader } from "./jsonl";
import type { ExportArticle, ExportContext, ExportFormat } from "./model";
import { spacyArticle } from "./spacy";
import { stanceCsvArticle, stanceCsvHeader } from "./stance-csv";
import { createDatasetStats, datasetCard, updateDatasetStats } from "./dataset-card";
import { ZipWriter } from "./zip";

export type ArticleSource = () => AsyncIterable<ExportArticle>;

export type TextFormat = Exclude<ExportFormat, "brat" | "bundle">;

export const formatFiles: Record<ExportFormat, { contentType: string; extension: string; description: string }> = {
  jsonl: { contentType: "application/x-ndjson; charset=utf-8", extension: "jsonl", description: "Spanlight JSON Lines (lossless)" },
  brat: { contentType: "application/zip", extension: "brat.zip", description: "brat standoff collection (zip)" },
  conll: { contentType: "text/plain; charset=utf-8", extension: "conll", description: "CoNLL-2003 style, IOB2" },
  spacy: { contentType: "application/x-ndjson; charset=utf-8", extension: "spacy.jsonl", description: "spaCy/Prodigy JSON Lines" },
  hf: { contentType: "application/x-ndjson; charset=utf-8", extension: "hf.jsonl", description: "Hugging Face token classification JSON Lines" },
  "stance-csv": { contentType: "text/csv; charset=utf-8", extension: "stances.csv", description: "Stances as CSV" },
  bundle: { contentType: "application/zip", extension: "bundle.zip", description: "All formats and a dataset card (zip)" },
};

const textWriters: Record<TextFormat, { header?: (ctx: ExportContext) => string; article: (article: ExportArticle, ctx: ExportContext) => string }> = {
  jsonl: { header: jsonlHeader, article: (article) => jsonlArticle(article) },
  conll: { article: conllArticle },
  spacy: { article: spacyArticle },
  hf: { article: hfArticle },
  "stance-csv": { header: () => stanceCsvHeader(), article: stanceCsvArticle },
};

/** The text of a text format, one string per article (after the header, if any). */
export async function* textChunks(format: TextFormat, ctx: ExportContext, articles: AsyncIterable<ExportArticle>, onArticle?: (article: ExportArticle) => void): AsyncGenerator<string> {
  const writer = textWriters[format];
  if (writer.header) yield writer.header(ctx);
  for await (const article of articles) {
    onArticle?.(article);
    const chunk = writer.article(article, ctx);
    if (chunk) yield chunk;
  }
}

/** The bytes of an export in `format`, in chunks of about one article. */
export async function* exportBytes(format: ExportFormat, ctx: ExportContext, source: ArticleSource): AsyncGenerator<Uint8Array> {
  if (format === "brat") {
    const zip = new ZipWriter();
    for (const file of bratPreamble(ctx)) zip.add(file.path, file.content);
    for await (const article of source()) {
      for (const file of bratArticleFiles(article, ctx)) zip.add(file.path, file.content);
      yield* zip.drain();
    }
    zip.end();
    yield* zip.drain();
    return;
  }
  if (format === "bundle") {
    yield* bundleBytes(ctx, source);
    return;
  }
  const encoder = new TextEncoder();
  for await (const chunk of textChunks(format, ctx, source())) yield encoder.encode(chunk);
}

/** The bundle: every format (one pass over the articles each) and README.md, the dataset card, last. */
async function* bundleBytes(ctx: ExportContext, source: ArticleSource): AsyncGenerator<Uint8Array> {
  const zip = new ZipWriter();
  const stats = createDatasetStats();
  const entries: [TextFormat, string][] = [
    ["jsonl", "spanlight.jsonl"],
    ["conll", "conll/dataset.conll"],
    ["spacy", "spacy/dataset.jsonl"],
    ["hf", "hf/dataset.jsonl"],
    ["stance-csv", "stances.csv"],
  ];
  for (const [format, path] of entries) {
    const entry = zip.open(path);
    const count = format === "jsonl" ? (article: ExportArticle) => updateDatasetStats(stats, article, ctx) : undefined;
    for await (const chunk of textChunks(format, ctx, source(), count)) {
      entry.push(chunk);
      yield* zip.drain();
    }
    entry.end();
    yield* zip.drain();
  }
  for (const file of bratPreamble(ctx)) zip.add(`brat/${file.path}`, file.content);
  for await (const article of source()) {
    for (const file of bratArticleFiles(article, ctx, "brat/")) zip.add(file.path, file.content);
    yield* zip.drain();
  }
  zip.add("README.md", datasetCard(ctx, stats));
  zip.end();
  yield* zip.drain();
}
