// Agreement at scale, for `npm run bench -- --only=agreement` (scripts/bench.ts calls benchAgreement): the issue's
// figure "agreement for 1,000 articles × 3 annotators × 30 spans each: target < 2 s on the server".
//  - a fresh embedded database and a server on it; an owner, three annotators (signed up and added through the
//    API), 1,000 articles of about 5,000 characters from lib/agreement/synthetic.ts (buildSyntheticAgreementInput:
//    news-like texts; annotators agreeing on about 80% of their mentions) with each annotator's 30 mentions and 3
//    stances per article, all in one dataset import (Spanlight's JSON Lines, written by lib/export/jsonl.ts;
//    annotator layers go to the members of the same name): how long that import took is a figure too;
//  - GET /api/projects/:id/agreement as the owner: 1 warm-up, then 3 timed runs, median and max; the answer is
//    checked against computeAgreement run here on the same synthetic input (same alpha, kappas and F1s);
//  - for reference, computeAgreement alone on that input in this process (no database, no HTTP).
// Through bench.ts it talks to `next start` over HTTP like bench-reader.ts (and imports only the pure
// lib/agreement code for the check, and lib/export to write the import). Run on its own (`npx tsx scripts/bench-agreement.ts`), it needs no build: it
// calls the same route handlers in this process, on a fresh embedded database in a temp dir, and says so in its
// rows. Either way everything it starts (server, database, temp dir) is stopped and removed at the end, also on
// failure or Ctrl-C.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { createHash } from "node:crypto";
import { computeAgreement, type AgreementResult } from "../lib/agreement/compute-agreement.ts";
import { jsonlArticle, jsonlHeader } from "../lib/export/jsonl.ts";
import type { ExportAnnotation } from "../lib/export/model.ts";
import { buildSyntheticAgreementInput } from "../lib/agreement/synthetic.ts";
import { median } from "./bench-stats.ts";

export interface AgreementBenchOptions {
  /** Starts `next start` with this environment (the caller adds PORT and NODE_ENV) and resolves once it answers. */
  startServer(env: NodeJS.ProcessEnv): Promise<{ port: number; stop(): Promise<void> }>;
  /** A new temp dir, removed by the caller at the end at the latest. */
  makeTempDir(): string;
  /** Registers a clean-up step the caller also runs on failure or a signal; returns a function that runs it now (once). */
  onCleanup(task: () => Promise<void>): () => Promise<void>;
  log(message: string): void;
}

export interface AgreementBenchResult {
  via: "http" | "in-process";
  database: "embedded";
  articles: number;
  annotators: number;
  spansPerAnnotator: number;
  annotations: number;
  characters: number;
  seedMs: number;
  /** Of seedMs, the article import. */
  agreementMs: { median: number; max: number; runs: number[]; warmUp: number; bytes: number };
  computeOnlyMs: { median: number; runs: number[] };
  tokens: number;
  tokenAlpha: number | null;
  rows: [label: string, figures: string, target?: string][];
}

const articleCount = 1000;
const annotatorCount = 3;
const spansPerAnnotator = 30;
const stancesPerAnnotator = 3;
const seed = 20_251_130;
const articlesPerImportFile = 250;
const timedRuns = 3;
const targetMs = 2000;
const password = "spanlight-bench-password";
// One entity per type for the mentions (their type is the entity's), and a pool for the stances' holders and
// targets: the synthetic input names its stance entities e<article>-<0..7>; entity i of every article is pool[i].
const mentionEntities = [
  { name: "Bench person", type: "PER" },
  { name: "Bench organization", type: "ORG" },
  { name: "Bench place", type: "LOC" },
  { name: "Bench other", type: "MISC" },
];
const stanceEntities = ["François Hollande", "Vladimir Putin", "Bashar al-Assad", "Barack Obama", "Sergei Lavrov", "Laurent Fabius", "Islamic State", "Kremlin"];

const ms = (value: number) => `${Math.round(value).toLocaleString("en")} ms`;
const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;

// ---------- talking to the app: over HTTP, or to the route handlers in this process ----------

interface Transport {
  send(method: string, pathname: string, body: unknown, cookie: string): Promise<Response>;
}

class Api {
  cookie = "";
  constructor(readonly transport: Transport) {}

  async call<T>(method: string, pathname: string, body?: unknown): Promise<{ status: number; data: T; bytes: number }> {
    const response = await this.transport.send(method, pathname, body, this.cookie);
    const setCookie = response.headers.getSetCookie()[0];
    if (setCookie) this.cookie = setCookie.split(";")[0]!;
    const text = await response.text();
    return { status: response.status, data: (text ? JSON.parse(text) : null) as T, bytes: Buffer.byteLength(text) };
  }

  async expect<T>(status: number, method: string, pathname: string, body?: unknown): Promise<T> {
    const result = await this.call<T>(method, pathname, body);
    if (result.status !== status) throw new Error(`${method} ${pathname} answered ${result.status}, not ${status}: ${JSON.stringify(result.data).slice(0, 400)}`);
    return result.data;
  }
}

/** JSON, or multipart when `body` is FormData (the Request sets its boundary). */
function request(base: string, method: string, pathname: string, body: unknown, cookie: string): Request {
  const isJson = body !== undefined && !(body instanceof FormData);
  return new Request(`${base}${pathname}`, {
    method,
    headers: { ...(isJson ? { "content-type": "application/json" } : {}), ...(cookie ? { cookie } : {}) },
    body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
  });
}

function httpTransport(base: string): Transport {
  return { send: (method, pathname, body, cookie) => fetch(request(base, method, pathname, body, cookie)) };
}

/** Runs `work` over `items` with at most `limit` in flight; stops handing out work after the first failure. */
// ---------- the bench ----------

function sameFigure(a: number | null, b: number | null): boolean {
  return a === null || b === null ? a === b : Math.abs(a - b) < 1e-9;
}

/** Seeds the project through `transport`, then times GET /api/projects/:id/agreement. */
async function measure(transport: Transport, via: AgreementBenchResult["via"], log: (message: string) => void, articles = articleCount): Promise<AgreementBenchResult> {
  const input = buildSyntheticAgreementInput(articles, annotatorCount, spansPerAnnotator, seed, { stancesPerAnnotator });
  const characters = input.articles.reduce((sum, article) => sum + article.text.length, 0);

  const owner = new Api(transport);
  const tag = randomBytes(4).toString("hex");
  await owner.expect(201, "POST", "/api/auth/signup", { email: `bench-agreement-${tag}@bench.spanlight`, name: "Bench Owner", password });
  if (!owner.cookie) throw new Error("sign-up set no session cookie");
  const project = await owner.expect<{ id: string }>(201, "POST", "/api/projects", { name: "Agreement bench" });
  // Stance holders and targets are named in the import; the registry must know them (mention entities come with it).
  for (const name of stanceEntities) await owner.expect(201, "POST", `/api/projects/${project.id}/entities`, { name, type: "PER", aliases: [] });

  // The annotators: synthetic user u<i> is annotator i.
  for (const [index, userId] of Object.keys(input.annotatorNames).entries()) {
    const api = new Api(transport);
    const email = `bench-agreement-${tag}-${index + 1}@bench.spanlight`;
    await api.expect(201, "POST", "/api/auth/signup", { email, name: input.annotatorNames[userId], password });
    await owner.expect(201, "POST", `/api/projects/${project.id}/members`, { email, role: "annotator" });
  }

  log(`agreement: seeding ${articles.toLocaleString("en")} articles (${(characters / 1e6).toFixed(1)}M characters), ${annotatorCount} annotators × ${spansPerAnnotator} spans each (${via})`);
  const seedStarted = performance.now();
  // Articles and every annotator's annotations in one dataset import (Spanlight's own JSON Lines, written by the
  // exporter; annotator layers go to the members of the same name), a few files of 250 articles.
  const entityName = new Map(mentionEntities.map((entity) => [entity.type, entity.name]));
  const poolName = (syntheticId: string) => stanceEntities[Number(syntheticId.slice(syntheticId.lastIndexOf("-") + 1)) % stanceEntities.length]!;
  const stamp = new Date().toISOString();
  const header = jsonlHeader({
    project: { id: "bench", name: "Agreement bench" },
    layer: { kind: "all" },
    exportedAt: stamp,
    entityTypes: mentionEntities.map((entity) => ({ name: entity.type, color: "#888888" })),
    polarities: ["FAVOR", "AGAINST", "NEUTRAL"],
    filters: { articleIds: null, types: null },
  });
  const form = new FormData();
  let annotations = 0;
  for (let first = 0; first < input.articles.length; first += articlesPerImportFile) {
    const lines = [header];
    for (const [offset, article] of input.articles.slice(first, first + articlesPerImportFile).entries()) {
      let next = 0;
      const exported: ExportAnnotation[] = article.annotators.flatMap((layer) => {
        const annotator = { id: layer.userId, name: input.annotatorNames[layer.userId]! };
        const evidence = layer.mentions[0] ?? { start: 0, end: 1 };
        const base = { layer: "user" as const, annotator, derivedFromIds: [], createdAt: stamp, updatedAt: stamp };
        return [
          ...layer.mentions.map((mention) => ({
            ...base,
            id: `a${first + offset}-${next++}`,
            kind: "entity" as const,
            start: mention.start,
            end: mention.end,
            quote: article.text.slice(mention.start, mention.end),
            entity: { id: `entity-${mention.label}`, name: entityName.get(mention.label)!, type: mention.label, aliases: [] },
            entityType: mention.label,
            stance: null,
          })),
          ...layer.stances.map((stance) => ({
            ...base,
            id: `a${first + offset}-${next++}`,
            kind: "stance" as const,
            start: evidence.start,
            end: evidence.end,
            quote: article.text.slice(evidence.start, evidence.end),
            entity: null,
            entityType: null,
            stance: {
              holder: { id: `pool-${poolName(stance.holderEntityId)}`, name: poolName(stance.holderEntityId) },
              target: { id: `pool-${poolName(stance.targetEntityId)}`, name: poolName(stance.targetEntityId) },
              polarity: stance.polarity,
            },
          })),
        ];
      });
      exported.sort((a, b) => a.start - b.start || a.end - b.end);
      annotations += exported.length;
      const text = article.text;
      lines.push(jsonlArticle({ id: article.id, title: article.title, source: "spanlight agreement bench", text, textSha256: createHash("sha256").update(text).digest("hex"), version: 1, annotations: exported }));
    }
    form.append("file", new File([`${lines.join("\n")}\n`], `agreement-bench-${first / articlesPerImportFile + 1}.jsonl`, { type: "application/x-ndjson" }));
  }
  const imported = await owner.expect<{ imported: { articles: number; annotations: number }[]; refused: unknown[] }>(201, "POST", `/api/projects/${project.id}/import`, form);
  const importedArticles = imported.imported.reduce((sum, file) => sum + file.articles, 0);
  if (imported.refused.length || importedArticles !== input.articles.length) {
    throw new Error(`the import took ${importedArticles} of ${input.articles.length} articles: ${JSON.stringify(imported.refused).slice(0, 400)}`);
  }
  const articlesMs = performance.now() - seedStarted;
  log(`agreement: ${articles.toLocaleString("en")} articles with ${annotations.toLocaleString("en")} annotations imported in ${seconds(articlesMs)}`);
  const seedMs = articlesMs;

  // What the server should answer: the same computation here, on the synthetic input.
  const computeRuns: number[] = [];
  let expected: AgreementResult | undefined;
  for (let run = 0; run < 1 + timedRuns; run++) {
    const started = performance.now();
    expected = computeAgreement(input);
    if (run > 0) computeRuns.push(performance.now() - started);
  }

  const runs: number[] = [];
  let warmUp = 0;
  let bytes = 0;
  let answer: AgreementResult | undefined;
  for (let run = 0; run < 1 + timedRuns; run++) {
    const started = performance.now();
    const result = await owner.call<AgreementResult>("GET", `/api/projects/${project.id}/agreement`);
    const took = performance.now() - started;
    if (result.status !== 200) throw new Error(`GET agreement answered ${result.status}: ${JSON.stringify(result.data).slice(0, 400)}`);
    if (run === 0) warmUp = took;
    else runs.push(took);
    bytes = result.bytes;
    answer = result.data;
    log(`agreement: GET /api/projects/:id/agreement ${run === 0 ? "warm-up" : `run ${run}/${timedRuns}`}: ${ms(took)}`);
  }

  // The answer must be the computation of this input: names and ids differ, the figures may not.
  const problems: string[] = [];
  if (answer!.articles !== articles) problems.push(`${answer!.articles} articles`);
  if (answer!.annotators.length !== annotatorCount) problems.push(`${answer!.annotators.length} annotators`);
  if (answer!.tokens !== expected!.tokens) problems.push(`tokens ${answer!.tokens} ≠ ${expected!.tokens}`);
  if (!sameFigure(answer!.tokenAlpha, expected!.tokenAlpha)) problems.push(`tokenAlpha ${answer!.tokenAlpha} ≠ ${expected!.tokenAlpha}`);
  if (!sameFigure(answer!.stance.f1, expected!.stance.f1)) problems.push(`stance F1 ${answer!.stance.f1} ≠ ${expected!.stance.f1}`);
  const figures = (result: AgreementResult) => result.pairs.map((pair) => [pair.tokenKappa, pair.spanF1, pair.spanF1Overlap, pair.stanceF1]).flat().sort();
  const [got, want] = [figures(answer!), figures(expected!)];
  if (got.length !== want.length || got.some((value, i) => !sameFigure(value, want[i]!))) problems.push(`pair figures ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`);
  if (problems.length) throw new Error(`the agreement answer differs from computeAgreement on the seeded input: ${problems.join("; ")}`);

  const result: AgreementBenchResult = {
    via,
    database: "embedded",
    articles,
    annotators: annotatorCount,
    spansPerAnnotator,
    annotations,
    characters,
    seedMs,
    agreementMs: { median: median(runs), max: Math.max(...runs), runs, warmUp, bytes },
    computeOnlyMs: { median: median(computeRuns), runs: computeRuns },
    tokens: answer!.tokens,
    tokenAlpha: answer!.tokenAlpha,
    rows: [],
  };
  result.rows = agreementRows(result);
  return result;
}

function agreementRows(result: AgreementBenchResult): [string, string, string?][] {
  const how = result.via === "http" ? "" : " (in-process, no HTTP)";
  const runs = result.agreementMs.runs.map((run) => Math.round(run)).join(", ");
  return [
    [
      `agreement: seed ${result.articles.toLocaleString("en")} articles, ${result.annotations.toLocaleString("en")} annotations`,
      `${seconds(result.seedMs)}: articles and annotations in one dataset import (POST /api/projects/:id/import, ${result.database} DB)`,
    ],
    [
      `agreement: ${result.articles.toLocaleString("en")} articles × ${result.annotators} annotators × ${result.spansPerAnnotator} spans${how}`,
      `median ${ms(result.agreementMs.median)}, max ${ms(result.agreementMs.max)}  (runs: ${runs}; warm-up ${Math.round(result.agreementMs.warmUp)}; ${(result.agreementMs.bytes / 1e6).toFixed(1)} MB)`,
      `target < ${targetMs} ms  ${result.agreementMs.median < targetMs ? "ok" : "MISSED"}`,
    ],
    [
      `agreement:   computeAgreement alone, same input`,
      `median ${ms(result.computeOnlyMs.median)}  (${result.tokens.toLocaleString("en")} tokens, alpha ${result.tokenAlpha === null ? "n/a" : result.tokenAlpha.toFixed(3)})`,
    ],
  ];
}

/** For bench.ts: a fresh embedded database under a temp dir, `next start` on it, the measurement over HTTP. */
export async function benchAgreement(options: AgreementBenchOptions): Promise<AgreementBenchResult> {
  const { log } = options;
  let server: { stop(): Promise<void> } | undefined;
  const release = options.onCleanup(async () => {
    await server?.stop();
  });
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, SPANLIGHT_DEMO: "0", SPANLIGHT_DATA_DIR: options.makeTempDir() };
    delete env.SPANLIGHT_SIGNUP;
    delete env.DATABASE_URL;
    log(`agreement: fresh embedded database under ${env.SPANLIGHT_DATA_DIR}`);
    const started = await options.startServer(env);
    server = started;
    return await measure(httpTransport(`http://127.0.0.1:${started.port}`), "http", log);
  } finally {
    await release();
  }
}

// ---------- on its own: the route handlers in this process ----------

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

/**
 * The app's route handlers, called in this process with real Requests (as the integration tests do), on a fresh
 * embedded database in `dataDir`. Needs the react-server export condition (for "server-only"); see main below.
 */
async function inProcessTransport(dataDir: string): Promise<Transport & { close(): Promise<void> }> {
  process.env.SPANLIGHT_DATA_DIR = dataDir;
  process.env.SPANLIGHT_DEMO = "0";
  delete process.env.DATABASE_URL;
  delete process.env.SPANLIGHT_SIGNUP;
  const { getConnection, closeConnection } = await import("../lib/server/db/connection.ts");
  const { applyPendingMigrations } = await import("../lib/server/db/migrate.ts");
  await applyPendingMigrations(getConnection());
  const routes: [method: string, pattern: RegExp, load: () => Promise<Record<string, unknown>>][] = [
    ["POST", /^\/api\/auth\/signup$/, () => import("../app/api/auth/signup/route.ts")],
    ["POST", /^\/api\/projects$/, () => import("../app/api/projects/route.ts")],
    ["POST", /^\/api\/projects\/(?<id>[^/]+)\/entities$/, () => import("../app/api/projects/[id]/entities/route.ts")],
    ["POST", /^\/api\/projects\/(?<id>[^/]+)\/members$/, () => import("../app/api/projects/[id]/members/route.ts")],
    ["POST", /^\/api\/projects\/(?<id>[^/]+)\/import$/, () => import("../app/api/projects/[id]/import/route.ts")],
    ["POST", /^\/api\/articles\/(?<id>[^/]+)\/annotations$/, () => import("../app/api/articles/[id]/annotations/route.ts")],
    ["GET", /^\/api\/projects\/(?<id>[^/]+)\/agreement$/, () => import("../app/api/projects/[id]/agreement/route.ts")],
  ];
  return {
    async send(method, pathname, body, cookie) {
      for (const [routeMethod, pattern, load] of routes) {
        const match = routeMethod === method ? pattern.exec(new URL(pathname, "http://localhost").pathname) : null;
        if (!match) continue;
        const handler = (await load())[method] as Handler;
        return handler(request("http://localhost", method, pathname, body, cookie), { params: Promise.resolve({ ...match.groups }) });
      }
      throw new Error(`no route handler here for ${method} ${pathname}`);
    },
    close: closeConnection,
  };
}

async function main() {
  const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "spanlight-bench-agreement-"));
  let transport: Awaited<ReturnType<typeof inProcessTransport>> | undefined;
  const cleanUp = async () => {
    await transport?.close().catch(() => {});
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      log(`${signal}: closing the database and removing ${dataDir}`);
      void cleanUp().then(() => process.exit(130));
    });
  }
  try {
    log(`agreement: fresh embedded database under ${dataDir} (route handlers in this process, no server)`);
    transport = await inProcessTransport(dataDir);
    const articles = Number(process.argv.find((argument) => argument.startsWith("--articles="))?.slice("--articles=".length) ?? articleCount);
    if (!Number.isInteger(articles) || articles < 1) throw new Error("--articles=N takes a whole number of articles");
    const result = await measure(transport, "in-process", log, articles);
    const row = (label: string, figures: string, target = "") => `${label.padEnd(48)}${figures.padEnd(54)}${target}`.trimEnd();
    console.log([`Spanlight agreement bench (node ${process.version}, ${os.cpus().length} cores)`, ...result.rows.map(([label, figures, target]) => row(label, figures, target))].join("\n"));
  } catch (error) {
    console.error("[bench] agreement bench failed:", error instanceof Error ? error.message : error);
    process.exitCode = 1;
  } finally {
    await cleanUp();
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain) {
  if (process.execArgv.some((flag) => flag.includes("react-server"))) {
    await main();
    // PGlite and the WASM schema engine leave timers behind that would keep the process alive for a while.
    process.exit();
  } else {
    // "server-only" (imported by the app's server code) resolves to an empty module only under react-server.
    const child = spawnSync(process.execPath, ["--conditions=react-server", ...process.execArgv, process.argv[1]!, ...process.argv.slice(2)], { stdio: "inherit" });
    process.exitCode = child.status ?? 1;
  }
}
