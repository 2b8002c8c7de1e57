// npm run bench – start-up and reading figures for Spanlight, on this machine.
//  (a) cold start to first byte with a fresh embedded database (3 runs, a new SPANLIGHT_DATA_DIR each), and one
//      warm restart on an already migrated and seeded data dir;
//  (b) the demo article page in headless Chromium: navigation start → the reader's text visible (20 loads after
//      2 warm-ups), and GET /api/articles/:id (50 requests after 5 warm-ups);
//  (c) the reader under load (scripts/bench-reader.ts): a 1,000,000-character article with 10,000 annotations on a
//      fresh database (PostgreSQL when DATABASE_URL is set, else embedded): seeding time, p50/p95 of creating one
//      more annotation, and navigation → all highlights painted and scroll to end, against a plain HTML page with
//      the same text and <mark>s measured in the same run.
//  (d) export and import (scripts/bench-export.ts): a fresh database (PostgreSQL when DATABASE_URL is set, else
//      embedded) seeded with 1,000 synthetic articles and 100,000 annotations through the dataset import (timed against
//      10 s), then each format through GET /api/projects/:id/export (timed against 3 s) and its live heap; the route
//      handlers run in a child process of bench-export.ts (the one part that runs app code in-process). Needs no build.
//  (e) agreement (scripts/bench-agreement.ts): GET /api/projects/:id/agreement for 1,000 articles × 3 annotators ×
//      30 spans each, seeded through the API on a fresh embedded database; median and max of 3 runs after a warm-up.
//  (f) load (scripts/bench-load.ts): 50 annotators and 2 reviewer sessions at once for 60 s on a fresh PostgreSQL
//      database (`--load-seconds=N` or BENCH_LOAD_SECONDS for a shorter run): throughput, p50/p95/p99 per endpoint,
//      errors, then every acknowledged write checked in the database (no lost, doubled or phantom writes).
// A plain Node script: apart from (d) it talks to the app over HTTP only and imports no app code. Servers it starts and temp dirs
// it makes are removed at the end, also on failure or Ctrl-C. Results also go to test-results/bench.json.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { chromium, type Browser } from "playwright-core";
import { chromiumArgs, chromiumPath } from "../e2e/chromium";
import { buildIfStale } from "./build-if-stale.mjs";
import { benchReader, type ReaderBenchResult } from "./bench-reader.ts";
import { benchExport, type ExportBenchResult } from "./bench-export.ts";
import { benchAgreement, type AgreementBenchResult } from "./bench-agreement.ts";
import { benchLoad, type LoadBenchResult } from "./bench-load.ts";
import { median, percentile } from "./bench-stats.ts";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
const demoEmail = "reviewer@demo.spanlight";
const demoPassword = "spanlight-demo";
const demoArticleSource = "Bloomberg";
const readerMarker = "narrowed differences";

const coldRuns = 3;
const pageWarmups = 2;
const pageRuns = 20;
const apiWarmups = 5;
const apiRuns = 50;
const startTimeoutMs = 90_000;
const wholeBenchTimeoutMs = 4 * 60_000; // (a) and (b)
// (c): its browser part leaves out second and third page runs rather than go past this; seeding (batch creates) is
// not bounded, the whole is given up after readerTimeoutMs.
const readerPagesBudgetMs = 3 * 60_000;
const readerTimeoutMs = 15 * 60_000;
// (e): seeding 3,000 batch creates through the API takes minutes on the embedded database; the whole is bounded.
const agreementTimeoutMs = 20 * 60_000;
// (f): set-up (sign-ups, project copies) and the check take a minute or two besides the load itself.
const loadSeconds = Number(process.argv.find((argument) => argument.startsWith("--load-seconds="))?.slice("--load-seconds=".length) ?? process.env.BENCH_LOAD_SECONDS ?? 60);
if (!(loadSeconds > 0)) throw new Error("--load-seconds (or BENCH_LOAD_SECONDS) must be a positive number of seconds");
const loadTimeoutMs = loadSeconds * 1000 + 6 * 60_000;

// ---------- bookkeeping: everything started here is stopped here ----------

interface Server {
  child: ChildProcess;
  port: number;
  dataDir: string;
  output: string[];
  exited: Promise<void>;
  hasExited: boolean;
}

const servers = new Set<Server>();
const tempDirs = new Set<string>();
const cleanupTasks = new Set<() => Promise<void>>();
let browser: Browser | undefined;

function log(message: string) {
  process.stderr.write(`[bench] ${message}\n`);
}

function makeTempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "spanlight-bench-"));
  tempDirs.add(dir);
  return dir;
}

async function stopServer(server: Server): Promise<void> {
  if (!server.hasExited && server.child.pid) {
    try {
      process.kill(-server.child.pid, "SIGTERM");
    } catch {
      server.child.kill("SIGTERM");
    }
    const killed = await Promise.race([server.exited.then(() => true), sleep(8000).then(() => false)]);
    if (!killed) {
      try {
        process.kill(-server.child.pid, "SIGKILL");
      } catch {
        server.child.kill("SIGKILL");
      }
      await Promise.race([server.exited, sleep(3000)]);
    }
  }
  servers.delete(server);
}

let cleaningUp: Promise<void> | undefined;
function cleanUp(): Promise<void> {
  cleaningUp ??= (async () => {
    for (const task of [...cleanupTasks].reverse()) await task().catch((error: unknown) => log(`clean-up step failed: ${error}`));
    await browser?.close().catch(() => {});
    await Promise.all([...servers].map(stopServer));
    for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
    tempDirs.clear();
  })();
  return cleaningUp;
}

/** Registers a clean-up step for the end (also on failure or a signal); returns a function that runs it now, once. */
function onCleanup(task: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  const once = () => {
    cleanupTasks.delete(once);
    running ??= task();
    return running;
  };
  cleanupTasks.add(once);
  return once;
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    log(`${signal}: stopping servers and removing temp dirs`);
    void cleanUp().then(() => process.exit(130));
  });
}

// ---------- helpers ----------

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const ms = (value: number) => `${Math.round(value)} ms`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function serverEnv(dataDir: string, port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, SPANLIGHT_DATA_DIR: dataDir, PORT: String(port), NODE_ENV: "production" };
  delete env.DATABASE_URL; // always the embedded database
  delete env.SPANLIGHT_DEMO; // the demo project must be seeded
  return env;
}

/** Spawns `next start` and resolves with the ms from spawn to the first byte of a 200 for GET /sign-in. */
async function startServer(
  dataDir: string,
  env: (port: number) => NodeJS.ProcessEnv = (port) => serverEnv(dataDir, port),
): Promise<{ server: Server; firstByteMs: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [nextBin, "start", "--port", String(port)], {
    cwd: root,
    env: env(port),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group, so stopping it stops anything it started
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const server: Server = { child, port, dataDir, output, hasExited: false, exited: Promise.resolve() };
  server.exited = new Promise((resolve) => child.once("exit", () => ((server.hasExited = true), resolve())));
  servers.add(server);

  const deadline = started + startTimeoutMs;
  while (performance.now() < deadline) {
    if (server.hasExited) throw new Error(`the server exited during start-up:\n${output.join("")}`);
    const firstByteAt = await firstByteOf200(port, deadline - performance.now());
    if (firstByteAt !== null) return { server, firstByteMs: firstByteAt - started };
    await sleep(10);
  }
  throw new Error(`no 200 from /sign-in within ${startTimeoutMs} ms:\n${output.join("")}`);
}

/** One GET /sign-in: the time its response head arrived if it was a 200, else null (refused, error, other status). */
function firstByteOf200(port: number, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    const request = http.get({ host: "127.0.0.1", port, path: "/sign-in", agent: false, timeout: Math.max(1000, timeoutMs) }, (response) => {
      const at = performance.now();
      response.resume();
      resolve(response.statusCode === 200 ? at : null);
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(null));
  });
}

// ---------- (b) the demo article ----------

interface DemoArticle {
  id: string;
  url: string;
  cookie: { name: string; value: string };
}

async function findDemoArticle(base: string): Promise<DemoArticle> {
  const login = await fetch(`${base}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: demoEmail, password: demoPassword }),
  });
  if (!login.ok) throw new Error(`sign-in as ${demoEmail} failed: ${login.status} ${await login.text()}`);
  const setCookie = login.headers.getSetCookie()[0];
  const pair = setCookie?.split(";")[0] ?? "";
  const cut = pair.indexOf("=");
  if (cut <= 0) throw new Error("the sign-in response set no session cookie");
  const cookie = { name: pair.slice(0, cut), value: pair.slice(cut + 1) };
  const headers = { cookie: pair };

  const { projects } = (await (await fetch(`${base}/api/projects`, { headers })).json()) as {
    projects: { id: string; name: string; isDemo?: boolean }[];
  };
  const project = projects.find((p) => p.isDemo) ?? projects[0];
  if (!project) throw new Error("the reviewer belongs to no project: was the demo seeded?");
  const { articles } = (await (await fetch(`${base}/api/projects/${project.id}/articles`, { headers })).json()) as {
    articles: { id: string; title: string; source: string | null }[];
  };
  const article = articles.find((a) => a.source === demoArticleSource);
  if (!article) throw new Error(`no ${demoArticleSource} article in "${project.name}"`);
  return { id: article.id, url: `${base}/articles/${article.id}`, cookie };
}

/** ms from navigation start to the reader's text being in the page and laid out, per load. */
async function measureArticlePage(base: string, article: DemoArticle): Promise<number[]> {
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
  // bypassCSP: the probe waits with a string predicate, which the app's Content-Security-Policy (no eval) refuses.
  const context = await browser.newContext({ bypassCSP: true });
  await context.addCookies([{ ...article.cookie, url: base }]);
  // Records, in page time (0 = navigation start), the first moment the reader holds the article's text.
  // Plain JavaScript source, not a function: tsx/esbuild would wrap named functions in a `__name` helper that the
  // page does not have.
  await context.addInitScript({
    content: `(() => {
      const marker = ${JSON.stringify(readerMarker)};
      const observer = new MutationObserver(() => {
        if (window.__benchTextVisibleAt !== undefined) return observer.disconnect();
        const reader = document.querySelector('[role="document"]');
        if (reader && reader.textContent.includes(marker) && reader.getBoundingClientRect().height > 0) {
          window.__benchTextVisibleAt = performance.now();
          observer.disconnect();
        }
      });
      observer.observe(document, { childList: true, subtree: true, characterData: true });
    })();`,
  });
  const page = await context.newPage();
  const times: number[] = [];
  for (let i = 0; i < pageWarmups + pageRuns; i++) {
    const response = await page.goto(article.url, { waitUntil: "commit" });
    if (response?.status() !== 200) throw new Error(`GET ${article.url} answered ${response?.status()}`);
    const handle = await page.waitForFunction("window.__benchTextVisibleAt", undefined, { timeout: 20_000, polling: 50 });
    const at = (await handle.jsonValue()) as number;
    const final = new URL(page.url()).pathname;
    if (!final.startsWith("/articles/")) throw new Error(`the article page went to ${final}`);
    if (i >= pageWarmups) times.push(at);
  }
  await browser.close();
  browser = undefined;
  return times;
}

async function measureArticleApi(base: string, article: DemoArticle): Promise<number[]> {
  const headers = { cookie: `${article.cookie.name}=${article.cookie.value}` };
  const times: number[] = [];
  for (let i = 0; i < apiWarmups + apiRuns; i++) {
    const started = performance.now();
    const response = await fetch(`${base}/api/articles/${article.id}`, { headers });
    const body = (await response.json()) as { text?: string };
    const took = performance.now() - started;
    if (!response.ok || !body.text?.includes(readerMarker)) throw new Error(`GET /api/articles/${article.id} answered ${response.status}`);
    if (i >= apiWarmups) times.push(took);
  }
  return times;
}

// ---------- main ----------

let watchdog: NodeJS.Timeout | undefined;
/** The measurements (not a first build) are bounded: give up, cleanly, if a part takes too long. */
function armWatchdog(timeoutMs: number, part: string) {
  clearTimeout(watchdog);
  watchdog = setTimeout(() => {
    log(`${part} still running after ${timeoutMs / 1000} s: giving up`);
    void cleanUp().then(() => process.exit(1));
  }, timeoutMs);
  watchdog.unref();
}

/** `npm run bench -- --only=reader` runs one part; by default every part runs. */
const onlyPart = process.argv.find((argument) => argument.startsWith("--only="))?.slice("--only=".length);
const benchParts = ["startup", "reader", "export", "agreement", "load"] as const;
if (onlyPart !== undefined && !(benchParts as readonly string[]).includes(onlyPart)) {
  throw new Error(`--only=${onlyPart}: the parts are ${benchParts.join(", ")}`);
}
const runs = (part: (typeof benchParts)[number]) => onlyPart === undefined || onlyPart === part;

/** (a) cold starts and a warm restart, (b) the demo article page and API. */
async function benchStartup() {
  armWatchdog(wholeBenchTimeoutMs, "the start-up and demo article bench");
  const cold: number[] = [];
  let lastDataDir = "";
  for (let run = 1; run <= coldRuns; run++) {
    lastDataDir = makeTempDir();
    const { server, firstByteMs } = await startServer(lastDataDir);
    log(`cold start ${run}/${coldRuns}: ${ms(firstByteMs)}`);
    cold.push(firstByteMs);
    await stopServer(server);
  }
  // warm restart: the last data dir, already migrated and seeded
  const { server, firstByteMs: warm } = await startServer(lastDataDir);
  log(`warm restart: ${ms(warm)}`);

  const base = `http://127.0.0.1:${server.port}`;
  const article = await findDemoArticle(base);
  const pageTimes = await measureArticlePage(base, article);
  log(`article page: ${pageTimes.map((t) => Math.round(t)).join(", ")} ms`);
  const apiTimes = await measureArticleApi(base, article);
  await stopServer(server);
  clearTimeout(watchdog);
  return { cold, warm, pageTimes, apiTimes };
}

async function main() {
  // (d) runs the route handlers itself: `--only=export` needs no build
  const needsBuild = runs("startup") || runs("reader") || runs("agreement");
  if (needsBuild) buildIfStale(log);
  const buildIdFile = path.join(root, ".next", "BUILD_ID");
  const buildId = fs.existsSync(buildIdFile) ? fs.readFileSync(buildIdFile, "utf8").trim() : null;
  const startup = runs("startup") ? await benchStartup() : null;

  // (c) the reader under load, on its own fresh database; a failure here still prints (a) and (b)
  let reader: ReaderBenchResult | { error: string } | null = null;
  if (runs("reader")) {
    try {
      armWatchdog(readerTimeoutMs, "the reader bench");
      reader = await benchReader({
        root,
        chromiumPath,
        chromiumArgs,
        databaseUrl: process.env.DATABASE_URL || undefined,
        pagesBudgetMs: readerPagesBudgetMs,
        log,
        makeTempDir,
        onCleanup,
        startServer: async (readerEnv) => {
          const { server: readerServer, firstByteMs } = await startServer(readerEnv.SPANLIGHT_DATA_DIR ?? "", (port) => ({
            ...readerEnv,
            PORT: String(port),
            NODE_ENV: "production",
          }));
          log(`reader: server up in ${ms(firstByteMs)}`);
          return { port: readerServer.port, stop: () => stopServer(readerServer) };
        },
      });
    } catch (error) {
      reader = { error: error instanceof Error ? error.message : String(error) };
      log(`reader bench failed: ${reader.error}`);
      process.exitCode = 1;
    }
  }
  clearTimeout(watchdog);

  // (d) import and export of every format on a fresh database (scripts/bench-export.ts)
  let exportFigures: ExportBenchResult | { error: string } | null = null;
  if (runs("export")) {
    try {
      exportFigures = await benchExport({ log });
    } catch (error) {
      exportFigures = { error: error instanceof Error ? error.message : String(error) };
      log(`export bench failed: ${exportFigures.error}`);
      process.exitCode = 1;
    }
  }

  // (e) agreement at scale, on its own fresh embedded database (scripts/bench-agreement.ts)
  let agreement: AgreementBenchResult | { error: string } | null = null;
  if (runs("agreement")) {
    try {
      armWatchdog(agreementTimeoutMs, "the agreement bench");
      agreement = await benchAgreement({
        log,
        makeTempDir,
        onCleanup,
        startServer: async (agreementEnv) => {
          const { server: agreementServer, firstByteMs } = await startServer(agreementEnv.SPANLIGHT_DATA_DIR ?? "", (port) => ({
            ...agreementEnv,
            PORT: String(port),
            NODE_ENV: "production",
          }));
          log(`agreement: server up in ${ms(firstByteMs)}`);
          return { port: agreementServer.port, stop: () => stopServer(agreementServer) };
        },
      });
    } catch (error) {
      agreement = { error: error instanceof Error ? error.message : String(error) };
      log(`agreement bench failed: ${agreement.error}`);
      process.exitCode = 1;
    }
    clearTimeout(watchdog);
  }

  // (f) load on PostgreSQL, on its own fresh database (scripts/bench-load.ts)
  let load: LoadBenchResult | { error: string } | null = null;
  if (runs("load")) {
    try {
      armWatchdog(loadTimeoutMs, "the load bench");
      load = await benchLoad({
        durationSeconds: loadSeconds,
        log,
        onCleanup,
        startServer: async (loadEnv) => {
          const { server: loadServer, firstByteMs } = await startServer("", (port) => ({ ...loadEnv, PORT: String(port), NODE_ENV: "production" }));
          log(`load: server up in ${ms(firstByteMs)}`);
          return { port: loadServer.port, pid: loadServer.child.pid, stop: () => stopServer(loadServer), output: () => loadServer.output.join("") };
        },
      });
      if (load.paced.errors > 0 || !load.verification.ok || load.verification.unexpectedReplays > 0) process.exitCode = 1;
    } catch (error) {
      load = { error: error instanceof Error ? error.message : String(error) };
      log(`load bench failed: ${load.error}`);
      process.exitCode = 1;
    }
    clearTimeout(watchdog);
  }

  const results = {
    node: process.version,
    cores: os.cpus().length,
    buildId,
    ...(startup && {
      coldStartFirstByteMs: { median: median(startup.cold), runs: startup.cold },
      warmRestartFirstByteMs: startup.warm,
      articlePageTextVisibleMs: { median: median(startup.pageTimes), p95: percentile(startup.pageTimes, 95), runs: startup.pageTimes },
      articleApiMs: { median: median(startup.apiTimes), p95: percentile(startup.apiTimes, 95), runs: apiRuns },
    }),
    ...(reader && { reader: "rows" in reader ? (({ rows: _rows, ...figures }) => figures)(reader) : reader }),
    ...(exportFigures && { export: "rows" in exportFigures ? (({ rows: _rows, ...figures }) => figures)(exportFigures) : exportFigures }),
    ...(agreement && { agreement: "rows" in agreement ? (({ rows: _rows, ...figures }) => figures)(agreement) : agreement }),
    ...(load && { load: "rows" in load ? (({ rows: _rows, ...figures }) => figures)(load) : load }),
  };
  const verdict = (value: number, target: number) => (value < target ? "ok" : "MISSED");
  const row = (label: string, figures: string, target = "") => `${label.padEnd(48)}${figures.padEnd(54)}${target}`.trimEnd();
  const lines = [`Spanlight bench (node ${process.version}, ${os.cpus().length} cores)`];
  if (startup) {
    const { cold, warm, pageTimes, apiTimes } = startup;
    lines.push(
      row(
        "cold start to first byte, fresh embedded DB",
        `median ${ms(median(cold))}  (runs: ${cold.map((t) => Math.round(t)).join(", ")})`,
        `target < 15000 ms  ${verdict(median(cold), 15000)}`,
      ),
      row("warm restart to first byte", ms(warm)),
      row(
        "demo article page, navigation → text visible",
        `median ${ms(median(pageTimes))}, p95 ${ms(percentile(pageTimes, 95))}`,
        `target < 1000 ms  ${verdict(median(pageTimes), 1000)}`,
      ),
      row("GET /api/articles/:id", `median ${ms(median(apiTimes))}, p95 ${ms(percentile(apiTimes, 95))}  (n=${apiRuns})`),
    );
  }
  if (reader) lines.push(...("rows" in reader ? reader.rows.map(([label, figures, target]) => row(label, figures, target)) : [row("reader bench", `FAILED: ${reader.error}`)]));
  if (exportFigures) lines.push(...("rows" in exportFigures ? exportFigures.rows.map(([label, figures, target]) => row(label, figures, target)) : [row("export bench", `FAILED: ${exportFigures.error}`)]));
  if (agreement) lines.push(...("rows" in agreement ? agreement.rows.map(([label, figures, target]) => row(label, figures, target)) : [row("agreement bench", `FAILED: ${agreement.error}`)]));
  // Its figures can be wider than the column: two spaces keep the target apart.
  if (load) lines.push(...("rows" in load ? load.rows.map(([label, figures, target]) => row(label, `${figures}  `, target)) : [row("load bench", `FAILED: ${load.error}`)]));
  console.log(lines.join("\n"));
  fs.mkdirSync(path.join(root, "test-results"), { recursive: true });
  fs.writeFileSync(path.join(root, "test-results", "bench.json"), `${JSON.stringify(results, null, 2)}\n`);
}

try {
  await main();
} catch (error) {
  console.error("[bench] failed:", error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
