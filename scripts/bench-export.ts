// Export throughput for `npm run bench` (scripts/bench.ts calls benchExport): 1,000 synthetic articles (≈ 5,000
// characters each, with emoji, CJK and combining accents) holding 100,000 annotations in all (90% entity mentions,
// 10% of them nested in a longer one, and 10% stances), streamed through each format's writer (lib/export/stream.ts)
// exactly as the route does, bytes discarded. Articles are generated one at a time, as the server loads them in
// batches, so the heap figure shows whether memory grows with the project: the heap's peak growth over the
// baseline, sampled after every article.
// Unlike the other benches this one runs the pure export code in-process: the database loading (50 articles per
// query round) and HTTP are not in these figures.
import { performance } from "node:perf_hooks";
import type { ExportAnnotation, ExportArticle, ExportContext, ExportFormat } from "../lib/export/model.ts";
import { exportBytes } from "../lib/export/stream.ts";

export interface ExportBenchRow {
  format: ExportFormat;
  ms: number;
  megabytes: number;
  heapGrowthMb: number;
}
export interface ExportBenchResult {
  articles: number;
  annotations: number;
  generationMs: number;
  formats: ExportBenchRow[];
  rows: [string, string, string][];
}

const sentences = [
  "Hollande met Putin in Moscow on Friday 🇫🇷👍🏽 to discuss Syria.",
  "普京 said the talks were “constructive”, according to the Kremlin’s spokesman.",
  "The cafe\u0301 owner told reporters: ‘nobody expected this’.",
  "Officials in Washington, Paris and Berlin declined to comment on the U.S. position.",
];

function buildArticle(index: number, annotationsPerArticle: number): ExportArticle {
  const parts: string[] = [];
  while (parts.join(" ").length < 5000) parts.push(sentences[parts.length % sentences.length]!, parts.length % 5 === 4 ? "\n" : "");
  const text = parts.join(" ");
  const words = [...text.matchAll(/[\p{L}\p{N}]+/gu)].map((match) => ({ start: match.index, end: match.index + match[0].length }));
  const annotations: ExportAnnotation[] = [];
  const entity = { id: `e${index % 50}`, name: `Entity ${index % 50}`, type: "PER", aliases: [] };
  for (let k = 0; k < annotationsPerArticle; k++) {
    const word = words[(k * 7) % words.length]!;
    const isStance = k % 10 === 9;
    const end = isStance || k % 10 === 3 ? words[Math.min(words.length - 1, (k * 7) % words.length + 3)]!.end : word.end;
    annotations.push({
      id: `a${index}-${k}`,
      layer: "gold",
      annotator: null,
      kind: isStance ? "stance" : "entity",
      start: word.start,
      end,
      quote: text.slice(word.start, end),
      entity: isStance ? null : entity,
      entityType: isStance ? null : ["PER", "ORG", "LOC", "MISC"][k % 4]!,
      stance: isStance ? { holder: { id: "e1", name: "Entity 1" }, target: { id: "e2", name: "Entity 2" }, polarity: "AGAINST" } : null,
      derivedFromIds: [],
      createdAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-01-01T00:00:00.000Z",
    });
  }
  annotations.sort((a, b) => a.start - b.start || a.end - b.end);
  return { id: `article-${index}`, title: `Article ${index}`, source: null, text, textSha256: "0".repeat(64), version: 1, annotations };
}

export async function benchExport({ articles = 1000, annotations = 100_000, log = (_: string) => {} } = {}): Promise<ExportBenchResult> {
  const ctx: ExportContext = {
    project: { id: "bench", name: "Export bench" },
    layer: { kind: "gold" },
    exportedAt: new Date().toISOString(),
    entityTypes: ["PER", "ORG", "LOC", "MISC"].map((name) => ({ name, color: "#888888" })),
    polarities: ["FAVOR", "AGAINST", "NEUTRAL"],
    filters: { articleIds: null, types: null },
  };
  const perArticle = Math.round(annotations / articles);
  const formats: ExportFormat[] = ["jsonl", "brat", "conll", "spacy", "hf", "stance-csv", "bundle"];
  const results: ExportBenchRow[] = [];
  // Generating the synthetic articles is part of every figure below; this is its share.
  const generationStarted = performance.now();
  for (let i = 0; i < articles; i++) buildArticle(i, perArticle);
  const generationMs = performance.now() - generationStarted;
  for (const format of formats) {
    (globalThis as { gc?: () => void }).gc?.();
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    async function* source() {
      for (let i = 0; i < articles; i++) {
        peak = Math.max(peak, process.memoryUsage().heapUsed);
        yield buildArticle(i, perArticle);
      }
    }
    let bytes = 0;
    const started = performance.now();
    for await (const chunk of exportBytes(format, ctx, source)) bytes += chunk.byteLength;
    const ms = performance.now() - started;
    results.push({ format, ms, megabytes: bytes / 1e6, heapGrowthMb: (peak - baseline) / 1e6 });
    log(`export ${format}: ${Math.round(ms)} ms, ${(bytes / 1e6).toFixed(1)} MB`);
  }
  const rows = results.map(({ format, ms, megabytes, heapGrowthMb }): [string, string, string] => [
    `export ${format} (${articles} articles, ${perArticle * articles} annotations)`,
    `${Math.round(ms)} ms, ${megabytes.toFixed(1)} MB out, heap peak +${heapGrowthMb.toFixed(0)} MB`,
    `target < ${format === "bundle" ? "18000 (6 formats)" : "3000"} ms  ${ms < (format === "bundle" ? 18000 : 3000) ? "ok" : "MISSED"}`,
  ]);
  rows.push([`  (generating the synthetic articles alone)`, `${Math.round(generationMs)} ms, included in each figure above`, ""]);
  return { articles, annotations: perArticle * articles, generationMs, formats: results, rows };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchExport({ log: (message) => process.stderr.write(`[bench] ${message}\n`) });
  for (const [label, figures, target] of result.rows) console.log(`${label.padEnd(56)}${figures.padEnd(54)}${target}`);
}
