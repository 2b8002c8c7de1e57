/*
 * Turns a stream of articles into the bytes of an export, article by article: never the whole project in memory.
 * Pure (no database): the caller passes `source`, a function that starts a pass over the articles. Every format,
 * the bundle included, makes one pass: the bundle writes all its entries from it, sharing each article's tokens,
 * code point table and tags (prepared.ts); the entries written beside the streamed one wait in spools (zip.ts).
 */
import { bratArticleFiles, bratPreamble } from "./brat";
import { conllArticle } from "./conll";
import { hfArticle } from "./hf";
import { jsonlArticle, jsonlHeader } from "./jsonl";
import type { ExportArticle, ExportContext, ExportFormat } from "./model";
import { prepareArticle, type PreparedArticle } from "./prepared";
import { spacyArticle } from "./spacy";
import { stanceCsvArticle, stanceCsvHeader } from "./stance-csv";
import { createDatasetStats, datasetCard, updateDatasetStats } from "./dataset-card";
import { Utf8Blocks } from "./utf8-blocks";
import { ZipWriter, type ZipEntryWriter, type ZipOptions } from "./zip";

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

/** How each text format writes: an optional header, then the text of each article (in pieces, for a long one). */
const textWriters: Record<TextFormat, { header?: (ctx: ExportContext) => string; article: (article: ExportArticle, ctx: ExportContext, prepared: PreparedArticle) => string | string[] }> = {
  jsonl: { header: jsonlHeader, article: (article, _ctx, prepared) => jsonlArticle(article, prepared) },
  conll: { article: conllArticle },
  spacy: { article: spacyArticle },
  hf: { article: hfArticle },
  "stance-csv": { header: () => stanceCsvHeader(), article: stanceCsvArticle },
};

function writeText(sink: { write(text: string): void }, text: string | string[]): void {
  if (typeof text === "string") sink.write(text);
  else for (const piece of text) sink.write(piece);
}

/** Text formats go out in blocks of this many bytes. */
const textBlockBytes = 64 * 1024;

/**
 * The bytes of an export in `format`, in blocks of 64 KiB (text formats) or as the zip's compressed blocks come back.
 * `zip` tunes the zip writer (tests use small blocks and spools to cross their boundaries).
 */
export async function* exportBytes(format: ExportFormat, ctx: ExportContext, source: ArticleSource, { zip }: { zip?: ZipOptions } = {}): AsyncGenerator<Uint8Array> {
  if (format === "brat") {
    yield* bratBytes(ctx, source, zip);
    return;
  }
  if (format === "bundle") {
    yield* bundleBytes(ctx, source, zip);
    return;
  }
  const writer = textWriters[format];
  const blocks: Uint8Array[] = [];
  const out = new Utf8Blocks(textBlockBytes, (block) => blocks.push(block));
  if (writer.header) out.write(writer.header(ctx));
  for await (const article of source()) {
    writeText(out, writer.article(article, ctx, prepareArticle(article, ctx)));
    if (blocks.length) yield* blocks.splice(0);
  }
  out.flush();
  yield* blocks;
}

async function* bratBytes(ctx: ExportContext, source: ArticleSource, options?: ZipOptions): AsyncGenerator<Uint8Array> {
  const zip = new ZipWriter({ modified: new Date(ctx.exportedAt), ...options });
  try {
    for (const file of bratPreamble(ctx)) zip.addFile(file.path, file.content);
    for await (const article of source()) {
      for (const file of bratArticleFiles(article, ctx)) zip.addFile(file.path, file.content);
      yield* zip.output();
    }
    yield* zip.finish();
  } finally {
    await zip.dispose();
  }
}

/** The bundle's text entries, in the order they appear in the zip. */
const bundleEntries: [TextFormat, string][] = [
  ["jsonl", "spanlight.jsonl"],
  ["conll", "conll/dataset.conll"],
  ["spacy", "spacy/dataset.jsonl"],
  ["hf", "hf/dataset.jsonl"],
  ["stance-csv", "stances.csv"],
];

/**
 * The bundle, from one pass over the articles: spanlight.jsonl streams as it is written; the other formats and the
 * brat folder are written at the same time into spooled segments, appended after it; README.md (the dataset card,
 * from counts gathered on the way) last.
 */
async function* bundleBytes(ctx: ExportContext, source: ArticleSource, options?: ZipOptions): AsyncGenerator<Uint8Array> {
  const zip = new ZipWriter({ modified: new Date(ctx.exportedAt), ...options });
  try {
    const stats = createDatasetStats();
    const [first, ...rest] = bundleEntries;
    const streamed = { format: first![0], entry: zip.entry(first![1]) };
    const spooled = rest.map(([format, path]) => {
      const segment = zip.spooledSegment();
      return { format, segment, entry: segment.entry(path) };
    });
    const brat = zip.spooledSegment();
    for (const file of bratPreamble(ctx)) brat.addFile(`brat/${file.path}`, file.content);
    const writers: { format: TextFormat; entry: ZipEntryWriter }[] = [streamed, ...spooled];
    for (const { format, entry } of writers) {
      const header = textWriters[format].header?.(ctx);
      if (header) entry.write(header);
    }
    for await (const article of source()) {
      const prepared = prepareArticle(article, ctx);
      updateDatasetStats(stats, article, ctx, prepared);
      for (const { format, entry } of writers) writeText(entry, textWriters[format].article(article, ctx, prepared));
      for (const file of bratArticleFiles(article, ctx, "brat/", prepared)) brat.addFile(file.path, file.content);
      yield* zip.output();
    }
    for (const { entry } of writers) entry.end();
    for (const { segment } of spooled) yield* zip.append(segment);
    yield* zip.append(brat);
    zip.addFile("README.md", datasetCard(ctx, stats));
    yield* zip.finish();
  } finally {
    await zip.dispose();
  }
}
