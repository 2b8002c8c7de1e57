// Export and import of a labeled dataset for `npm run bench -- --only=export` (scripts/bench.ts calls benchExport),
// end to end on a real database: a fresh one (PostgreSQL when DATABASE_URL is set: a new database beside it, dropped
// at the end; else an embedded PGlite under a temp dir), seeded with 1,000 synthetic articles (≈ 5,000 characters
// each, with emoji, CJK and combining accents) holding 100,000 gold annotations (90% entity mentions, 10% of them
// longer and overlapping, and 10% stances) through the dataset import itself: POST /api/projects/:id/import with
// one Spanlight .jsonl file, against its 10 s target (issue 6), three times into three projects (the median counts).
// Then every format through the route handler GET /api/projects/:id/export (authorization, the database read in
// batches, the formatters, the streamed Response body read chunk by chunk and discarded), three times each against
// the 3 s target (the median counts; min and max and the CPU time are shown, as the machine may be busy).
// Memory, before each format's timed runs: the process's peak RSS exporting the first quarter of the articles, then
// all of them (a stream holding the project would need much more for all), and during the full export a GC and the
// live heap at about eight points spread over the body (climbing from the first point to the last if it held the
// project; flat if streamed). The route handlers run in a child process (`--conditions=react-server`, as the app's
// server code needs, and `--expose-gc`), so the figures are the export's (and, with PGlite, the database's) alone.
// On its own: `npx tsx scripts/bench-export.ts [--articles=1000] [--annotations=100000] [--formats=jsonl,bundle] [--runs=3]`.
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { jsonlArticle, jsonlHeader } from "../lib/export/jsonl.ts";
import { exportFormats, type ExportAnnotation, type ExportArticle, type ExportContext, type ExportEntity, type ExportFormat } from "../lib/export/model.ts";

export interface TimedRuns {
  /** wall-clock ms of each run, in order */
  runs: number[];
  medianMs: number;
  /** CPU ms of the median run (every thread of the process: main, GC, zlib) */
  cpuMs: number;
}
export interface ExportBenchRow extends TimedRuns {
  format: ExportFormat;
  megabytes: number;
  /** the process's live heap (after a full GC) at about eight points spread over the body, MB */
  liveHeapMb: number[];
  /** the process's peak RSS exporting the first quarter of the articles, then all of them, MB */
  peakRssMb: { quarter: number; all: number };
}
export interface ExportBenchResult {
  articles: number;
  annotations: number;
  database: "postgres" | "pglite";
  loadAverage: number;
  jsonlMegabytes: number;
  import: TimedRuns;
  loadOnlyMs: number;
  formats: ExportBenchRow[];
  rows: [string, string, string][];
}

const exportTargetMs = 3000;
const importTargetMs = 10_000;
const entityTypes = ["PER", "ORG", "LOC", "MISC"];
const sentences = [
  "Hollande met Putin in Moscow on Friday 🇫🇷👍🏽 to discuss Syria.",
  "普京 said the talks were “constructive”, according to the Kremlin’s spokesman.",
  "The cafe\u0301 owner told reporters: ‘nobody expected this’.",
  "Officials in Washington, Paris and Berlin declined to comment on the U.S. position.",
];
const entities: ExportEntity[] = Array.from({ length: 50 }, (_, n) => ({ id: `bench-entity-${n}`, name: `Entity ${n}`, type: entityTypes[n % 4]!, aliases: n % 3 ? [] : [`E${n}`] }));

/** One synthetic article with `count` gold annotations, as an export holds it. */
function buildArticle(index: number, count: number): ExportArticle {
  const parts: string[] = [`Report ${index}.`];
  let length = parts[0]!.length;
  while (length < 5000) {
    const part = parts.length % 5 === 4 ? "\n" : sentences[parts.length % sentences.length]!;
    parts.push(part);
    length += part.length + 1;
  }
  const text = parts.join(" ");
  const words = [...text.matchAll(/[\p{L}\p{N}]+/gu)].map((match) => ({ start: match.index, end: match.index + match[0].length }));
  const annotations: ExportAnnotation[] = [];
  for (let k = 0; k < count; k++) {
    const w = (k * 7) % words.length;
    const isStance = k % 10 === 9;
    const start = words[w]!.start;
    const end = isStance || k % 10 === 3 ? words[Math.min(words.length - 1, w + 3)]!.end : words[w]!.end;
    const entity = entities[(index + k) % entities.length]!;
    annotations.push({
      id: `a${index}-${k}`,
      layer: "gold",
      annotator: null,
      kind: isStance ? "stance" : "entity",
      start,
      end,
      quote: text.slice(start, end),
      entity: isStance ? null : entity,
      entityType: isStance ? null : entity.type,
      stance: isStance ? { holder: { id: entities[1]!.id, name: entities[1]!.name }, target: { id: entities[2]!.id, name: entities[2]!.name }, polarity: "AGAINST" } : null,
      derivedFromIds: [],
      createdAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-01-01T00:00:00.000Z",
    });
  }
  annotations.sort((a, b) => a.start - b.start || a.end - b.end);
  const textSha256 = createHash("sha256").update(text, "utf8").digest("hex");
  return { id: `article-${index}`, title: `Article ${index}`, source: null, text, textSha256, version: 1, annotations };
}

/** The dataset as one Spanlight .jsonl file (what the import reads). */
function buildJsonl(articles: number, annotations: number): string {
  const ctx: ExportContext = {
    project: { id: "bench", name: "Export bench" },
    layer: { kind: "gold" },
    exportedAt: new Date().toISOString(),
    entityTypes: entityTypes.map((name) => ({ name, color: "#888888" })),
    polarities: ["FAVOR", "AGAINST", "NEUTRAL"],
    filters: { articleIds: null, types: null },
  };
  const lines = [jsonlHeader(ctx)];
  for (let i = 0; i < articles; i++) lines.push(jsonlArticle(buildArticle(i, Math.floor(annotations / articles) + (i < annotations % articles ? 1 : 0))));
  return lines.join("");
}

// ---------- the child: a fresh database, the route handlers in this process ----------

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

interface ChildOptions {
  articles: number;
  annotations: number;
  formats: ExportFormat[];
  runs: number;
  log: (message: string) => void;
}

const mb = (bytes: number) => bytes / 1e6;

async function withFreshDatabase<T>(log: (message: string) => void, run: (database: "postgres" | "pglite") => Promise<T>): Promise<T> {
  const baseUrl = process.env.DATABASE_URL;
  process.env.SPANLIGHT_DEMO = "0";
  const pg = baseUrl ? (await import("pg")).default : null;
  const admin = async (sql: string) => {
    const url = new URL(baseUrl!);
    url.pathname = "/postgres";
    const client = new pg!.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const name = `spanlight_bench_export_${process.pid}_${randomBytes(4).toString("hex")}`;
  const dataDir = baseUrl ? null : fs.mkdtempSync(path.join(os.tmpdir(), "spanlight-bench-export-"));
  if (baseUrl) {
    await admin(`CREATE DATABASE "${name}"`);
    const url = new URL(baseUrl);
    url.pathname = `/${name}`;
    process.env.DATABASE_URL = url.toString();
    log(`export: fresh PostgreSQL database ${name}`);
  } else {
    process.env.SPANLIGHT_DATA_DIR = dataDir!;
    log(`export: fresh embedded database under ${dataDir}`);
  }
  const { getConnection, closeConnection } = await import("../lib/server/db/connection.ts");
  const cleanUp = async () => {
    await closeConnection().catch(() => {});
    if (baseUrl) await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch((error) => log(`could not drop ${name}: ${String(error)}`));
    else fs.rmSync(dataDir!, { recursive: true, force: true });
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void cleanUp().then(() => process.exit(130)));
  try {
    const { applyPendingMigrations } = await import("../lib/server/db/migrate.ts");
    await applyPendingMigrations(getConnection());
    return await run(baseUrl ? "postgres" : "pglite");
  } finally {
    await cleanUp();
  }
}

/** CPU time of this process (every thread: the main one, GC, zlib) since `base`: on a busy machine, steadier than the clock. */
function cpuMs(base: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(base);
  return (used.user + used.system) / 1000;
}

const gc = () => (globalThis as { gc?: () => void }).gc?.();

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Runs `run` `count` times (a full GC before each); the median run's CPU time. */
async function timed(count: number, run: () => Promise<unknown>): Promise<TimedRuns> {
  const results: { ms: number; cpuMs: number }[] = [];
  for (let i = 0; i < count; i++) {
    gc();
    const cpu = process.cpuUsage();
    const started = performance.now();
    await run();
    results.push({ ms: performance.now() - started, cpuMs: cpuMs(cpu) });
  }
  const runs = results.map((result) => result.ms);
  const medianMs = median(runs);
  const closest = results.reduce((best, result) => (Math.abs(result.ms - medianMs) < Math.abs(best.ms - medianMs) ? result : best));
  return { runs, medianMs, cpuMs: closest.cpuMs };
}

/** GET the export through the route handler and read the body to the end, chunk by chunk; `onChunk` after each. */
async function readExport(handler: Handler, projectId: string, cookie: string, query: string, onChunk?: (index: number) => void): Promise<{ bytes: number; chunks: number }> {
  const response = await handler(new Request(`http://localhost/api/projects/${projectId}/export?${query}`, { headers: { cookie } }), { params: Promise.resolve({ id: projectId }) });
  if (response.status !== 200 || !response.body) throw new Error(`export ${query}: status ${response.status}: ${(await response.text()).slice(0, 300)}`);
  let bytes = 0;
  let chunks = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    chunks++;
    onChunk?.(chunks - 1);
  }
  return { bytes, chunks };
}

/** A memory pass: the peak RSS while the export is read, and, every `every` chunks, a full GC and the live heap. */
async function measureMemory(handler: Handler, projectId: string, cookie: string, query: string, every: number): Promise<{ liveHeapMb: number[]; peakRssMb: number; chunks: number }> {
  gc();
  let rssPeak = process.memoryUsage.rss();
  const liveHeapMb: number[] = [];
  const { chunks } = await readExport(handler, projectId, cookie, query, (index) => {
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
    if ((index + 1) % every) return;
    gc();
    liveHeapMb.push(mb(process.memoryUsage().heapUsed));
  });
  return { liveHeapMb, peakRssMb: mb(rssPeak), chunks };
}

async function runChild({ articles, annotations, formats, runs, log }: ChildOptions): Promise<Omit<ExportBenchResult, "rows">> {
  return withFreshDatabase(log, async (database) => {
    const { createUser } = await import("../lib/server/auth/users.ts");
    const { createProject } = await import("../lib/server/projects/projects.ts");
    const { POST: login } = (await import("../app/api/auth/login/route.ts")) as unknown as { POST: Handler };
    const { POST: importRoute } = (await import("../app/api/projects/[id]/import/route.ts")) as unknown as { POST: Handler };
    const { GET: exportRoute } = (await import("../app/api/projects/[id]/export/route.ts")) as unknown as { GET: Handler };
    const { loadExportArticles } = await import("../lib/server/export/load-articles.ts");

    const email = "bench-export@example.org";
    const password = "bench-export-password";
    const owner = await createUser({ email, name: "Bench Owner", password });
    const signedIn = await login(new Request("http://localhost/api/auth/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) }), { params: Promise.resolve({}) });
    const cookie = signedIn.headers.get("set-cookie")?.split(";")[0];
    if (!cookie) throw new Error(`login failed: ${signedIn.status}`);

    const jsonl = buildJsonl(articles, annotations);
    const jsonlBytes = Buffer.byteLength(jsonl);
    log(`export: importing ${articles.toLocaleString("en")} articles with ${annotations.toLocaleString("en")} annotations (${mb(jsonlBytes).toFixed(1)} MB of jsonl) ${runs} times`);
    const projectIds: string[] = [];
    const importRuns = await timed(runs, async () => {
      const project = await createProject({ userId: owner.id, name: `Export bench ${projectIds.length + 1}` });
      projectIds.push(project.id);
      const form = new FormData();
      form.append("file", new File([jsonl], "bench.jsonl"));
      const imported = await importRoute(new Request(`http://localhost/api/projects/${project.id}/import`, { method: "POST", headers: { cookie }, body: form }), { params: Promise.resolve({ id: project.id }) });
      const report = (await imported.json()) as { imported?: { articles: number; annotations: number }[] };
      const file = report.imported?.[0];
      if (imported.status !== 201 || file?.articles !== articles || file.annotations !== annotations) throw new Error(`import: status ${imported.status}: ${JSON.stringify(report).slice(0, 400)}`);
    });
    log(`export: import ${importRuns.runs.map(Math.round).join(", ")} ms (median cpu ${Math.round(importRuns.cpuMs)} ms)`);
    const projectId = projectIds[0]!;

    const { db } = await import("../lib/db.ts");
    // The imports leave 300,000 fresh rows: vacuum and analyze them now, or autovacuum does it in the middle of the
    // timed exports, on the same two cores.
    await db.$executeRawUnsafe("VACUUM ANALYZE");
    const articleIds = (await db.article.findMany({ where: { projectId }, select: { id: true }, orderBy: { position: "asc" } })).map((article) => article.id);
    const loadStarted = performance.now();
    for await (const article of loadExportArticles({ articleIds, layer: { kind: "gold" }, types: null })) void article;
    const loadOnlyMs = performance.now() - loadStarted;

    const rows: ExportBenchRow[] = [];
    for (const format of formats) {
      const query = `format=${format}&layer=gold`;
      // Memory first, before the timed runs raise the RSS high-water mark: a quarter of the articles, then all of
      // them with the live heap at about eight points; a stream that held the project would need about 4× the memory.
      const part = await measureMemory(exportRoute, projectId, cookie, `${query}&articles=${articleIds.slice(0, Math.ceil(articleIds.length / 4)).join(",")}`, Number.MAX_SAFE_INTEGER);
      const memory = await measureMemory(exportRoute, projectId, cookie, query, Math.max(1, Math.round((part.chunks * 4) / 8)));
      const peakRssMb = { quarter: part.peakRssMb, all: memory.peakRssMb };
      let read = { bytes: 0, chunks: 0 };
      const timing = await timed(runs, async () => (read = await readExport(exportRoute, projectId, cookie, query)));
      log(`export ${format}: ${timing.runs.map(Math.round).join(", ")} ms (median cpu ${Math.round(timing.cpuMs)} ms), ${mb(read.bytes).toFixed(1)} MB; live heap ${memory.liveHeapMb.map((value) => value.toFixed(0)).join(" ")} MB, peak rss ${Math.round(peakRssMb.quarter)} MB (${Math.ceil(articleIds.length / 4)} articles), ${Math.round(peakRssMb.all)} MB (all)`);
      rows.push({ format, ...timing, megabytes: mb(read.bytes), liveHeapMb: memory.liveHeapMb, peakRssMb });
    }
    return { articles, annotations, database, loadAverage: os.loadavg()[0]!, jsonlMegabytes: mb(jsonlBytes), import: importRuns, loadOnlyMs, formats: rows };
  });
}

function toRows(result: Omit<ExportBenchResult, "rows">): [string, string, string][] {
  const { articles, annotations } = result;
  const verdict = (ms: number, target: number) => `target < ${target} ms  ${ms < target ? "ok" : "MISSED"}`;
  const spread = ({ runs, medianMs, cpuMs: cpu }: TimedRuns) => `median ${Math.round(medianMs)} ms (${runs.map(Math.round).join(", ")}; cpu ${Math.round(cpu)})`;
  const range = (values: number[]) => `${Math.round(Math.min(...values))}…${Math.round(Math.max(...values))}`;
  return [
    [`import jsonl, ${articles} articles, ${annotations} annotations`, `${spread(result.import)}, ${result.jsonlMegabytes.toFixed(1)} MB`, verdict(result.import.medianMs, importTargetMs)],
    ...result.formats.map((row): [string, string, string] => [
      `export ${row.format} (heap ${range(row.liveHeapMb)}, rss ${Math.round(row.peakRssMb.quarter)}/${Math.round(row.peakRssMb.all)})`,
      `${spread(row)}, ${row.megabytes.toFixed(1)} MB`,
      verdict(row.medianMs, exportTargetMs),
    ]),
    [`  (${result.database} DB, load average ${result.loadAverage.toFixed(1)})`, `reading the articles alone: ${Math.round(result.loadOnlyMs)} ms. heap: live heap after a full GC at ~8 points of the body, MB; rss: peak exporting ${Math.ceil(result.articles / 4)}/${result.articles} articles, MB`, ""],
  ];
}

// ---------- the parent: bench.ts, or this file run on its own ----------

const selfPath = fileURLToPath(import.meta.url);

/**
 * For bench.ts: runs the measurement in a child process (react-server conditions, --expose-gc) and returns its
 * figures. Throws when the child fails.
 */
export async function benchExport({ articles = 1000, annotations = 100_000, formats = [...exportFormats] as ExportFormat[], runs = 3, log = (_: string) => {} } = {}): Promise<ExportBenchResult> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "spanlight-bench-export-out-")), "result.json");
  try {
    const args = ["--conditions=react-server", "--expose-gc", ...process.execArgv, selfPath, "--child", `--out=${out}`, `--articles=${articles}`, `--annotations=${annotations}`, `--formats=${formats.join(",")}`, `--runs=${runs}`];
    const child = spawn(process.execPath, args, { stdio: ["ignore", "inherit", "pipe"], env: process.env });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (data: string) => {
      stderr += data;
      for (const line of data.split("\n")) if (line.trim()) log(line.replace(/^\[bench\] /, ""));
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    if (code !== 0 || !fs.existsSync(out)) throw new Error(`the export bench exited with ${code}: ${stderr.trim().split("\n").slice(-3).join(" | ")}`);
    const result = JSON.parse(fs.readFileSync(out, "utf8")) as Omit<ExportBenchResult, "rows">;
    return { ...result, rows: toRows(result) };
  } finally {
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  }
}

function argument(name: string): string | undefined {
  return process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
}

function parseOptions() {
  const articles = Number(argument("articles") ?? 1000);
  const annotations = Number(argument("annotations") ?? 100_000);
  if (!Number.isInteger(articles) || articles < 4 || !Number.isInteger(annotations) || annotations < 0) throw new Error("--articles=N (at least 4) and --annotations=N take whole numbers");
  const formats = (argument("formats") ?? exportFormats.join(",")).split(",").filter(Boolean);
  const unknown = formats.filter((format) => !(exportFormats as readonly string[]).includes(format));
  if (unknown.length) throw new Error(`--formats: unknown ${unknown.join(", ")}; the formats are ${exportFormats.join(", ")}`);
  const runs = Number(argument("runs") ?? 3);
  if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs=N takes a whole number of runs");
  return { articles, annotations, formats: formats as ExportFormat[], runs };
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain && process.argv.includes("--child")) {
  const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
  try {
    const result = await runChild({ ...parseOptions(), log });
    fs.writeFileSync(argument("out")!, JSON.stringify(result));
  } catch (error) {
    log(`export bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  }
  // PGlite and the WASM schema engine leave timers behind that would keep the process alive for a while.
  process.exit();
} else if (isMain) {
  const result = await benchExport({ ...parseOptions(), log: (message) => process.stderr.write(`[bench] ${message}\n`) });
  for (const [label, figures, target] of result.rows) console.log(`${label.padEnd(48)}${figures.padEnd(54)}${target}`.trimEnd());
}
