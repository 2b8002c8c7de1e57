// Crash safety of annotation writes, on both databases: the test starts its OWN app process (on its own fresh
// database), streams annotation creates from four writers at once (three single creates, one batches of five,
// every create with its own idempotency key), SIGKILLs the server's process group in the middle, starts it again on
// the same database and checks that
//  - it starts (PGlite must reopen its data directory after the kill),
//  - every acknowledged annotation is there, exactly once, as sent,
//  - retrying each unanswered request with the same idempotency keys, twice at once, gives 201 and a 200 replay
//    (or two replays), never a second row, and retrying everything once more replays the same ids,
//  - the database is consistent: nothing else in those layers, every row on an existing version of its article,
//    one annotation.create audit event per annotation, an IN_PROGRESS status per annotator and article.
// PostgreSQL: a fresh database on DATABASE_URL's server, else on the local one, else the test is skipped.
// PGlite: a temporary SPANLIGHT_DATA_DIR, checked at the end by opening it in this process.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { createFreshDatabase, findPostgresServer, type FreshDatabase } from "../scripts/load/fresh-postgres.ts";
import { HttpClient } from "../scripts/load/http-client.ts";
import { describeReport, Ledger, type QueryRows, type VerifyReport } from "../scripts/load/ledger.ts";
import { candidateSpans } from "../scripts/load/spans.ts";
import { killApp, startApp, type AppProcess } from "./support/app-process.ts";
import { sendBatch, streamCreates, type CrashArticle, type SentBatch, type Writer } from "./support/crash-writers.ts";

const root = process.cwd();
const password = "spanlight-crash-password";
const articleFiles = ["000_7de9c0575fd076df.txt", "002_8ef1efffa7938197.txt"];
/** The kill comes once this many creates were acknowledged and at least `minStreamMs` have passed. */
const minAcknowledged = 30;
const minStreamMs = 1500;
const maxStreamMs = 15_000;

type DatabaseKind = "postgresql" | "pglite";

interface Target {
  env: Record<string, string>;
  /** Runs the check against the database once the app is stopped. */
  verify(ledger: Ledger): Promise<{ report: VerifyReport; totals: { annotations: number; createAudits: number } }>;
  remove(): Promise<void>;
}

const totalsSql = `select (select count(*)::int from "Annotation") as "annotations",
  (select count(*)::int from "AuditEvent" where "action" = 'annotation.create') as "createAudits"`;

async function postgresTarget(serverUrl: string): Promise<Target> {
  const database: FreshDatabase = await createFreshDatabase(serverUrl, "spanlight_crash");
  return {
    env: { DATABASE_URL: database.url },
    async verify(ledger) {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const query: QueryRows = async <T>(sql: string, params: unknown[]) => (await client.query(sql, params)).rows as T[];
        const report = await ledger.verify(query);
        const [totals] = await query<{ annotations: number; createAudits: number }>(totalsSql, []);
        return { report, totals: totals! };
      } finally {
        await client.end();
      }
    },
    remove: () => database.drop(),
  };
}

function pgliteTarget(): Target {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "spanlight-crash-"));
  return {
    env: { SPANLIGHT_DATA_DIR: dataDir },
    async verify(ledger) {
      const db = new PGlite(path.join(dataDir, "pglite"));
      try {
        const query: QueryRows = async <T>(sql: string, params: unknown[]) => (await db.query<T>(sql, params)).rows;
        const report = await ledger.verify(query);
        const [totals] = await query<{ annotations: number; createAudits: number }>(totalsSql, []);
        return { report, totals: totals! };
      } finally {
        await db.close();
      }
    },
    remove: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
  };
}

function appEnv(target: Target): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, SPANLIGHT_DEMO: "0", SPANLIGHT_SIGNUP: "open", ...target.env };
  if (!("DATABASE_URL" in target.env)) delete env.DATABASE_URL;
  return env;
}

/**
 * A project of two demo articles and four writers, each signed in with its own session: its owner and three
 * annotators (sign-ups are few on purpose: hashing passwords is the slow part of the set-up).
 */
async function setUp(port: number, runId: string) {
  const owner = new HttpClient(port);
  const { id: ownerId } = await owner.signIn(`crash-owner-${runId}@test.spanlight`, password, { signUp: true, name: "Crash Owner" });
  const project = await owner.expect<{ id: string }>(201, "POST", "/api/projects", { name: `Crash ${runId}` });
  const articles: CrashArticle[] = [];
  for (const file of articleFiles) {
    const text = fs.readFileSync(path.join(root, "prisma", "demo", "articles", file), "utf8");
    const created = await owner.expect<{ id: string }>(201, "POST", `/api/projects/${project.id}/articles`, { title: file, text });
    const stored = await owner.expect<{ text: string }>(200, "GET", `/api/articles/${created.id}`);
    articles.push({ id: created.id, spans: candidateSpans(stored.text) });
  }
  const entityIds: { id: string; type: string }[] = [];
  for (const [name, type] of [["Vladimir Putin", "PER"], ["Francois Hollande", "PER"], ["Islamic State", "ORG"], ["Syria", "LOC"]] as const) {
    entityIds.push(await owner.expect<{ id: string; type: string }>(201, "POST", `/api/projects/${project.id}/entities`, { name, type }));
  }
  const writers: Writer[] = [{ name: "owner", userId: ownerId, client: owner, batchSize: 1 }];
  for (const [index, batchSize] of [1, 1, 5].entries()) {
    const name = `w${index}`;
    const email = `crash-${name}-${runId}@test.spanlight`;
    const client = new HttpClient(port);
    const { id } = await client.signIn(email, password, { signUp: true, name: `Crash Writer ${index}` });
    await owner.expect(201, "POST", `/api/projects/${project.id}/members`, { email, role: "annotator" });
    writers.push({ name, userId: id, client, batchSize });
  }
  return { articles, entityIds, writers };
}

/** Live annotation ids of each writer, through the API (GET …/annotations?layer=mine on every article). */
async function listMine(writers: Writer[], articles: CrashArticle[]): Promise<Map<string, string[]>> {
  const byWriter = new Map<string, string[]>();
  for (const writer of writers) {
    const ids: string[] = [];
    for (const article of articles) {
      const { annotations } = await writer.client.expect<{ annotations: { id: string }[] }>(200, "GET", `/api/articles/${article.id}/annotations?layer=mine`);
      ids.push(...annotations.map((annotation) => annotation.id));
    }
    byWriter.set(writer.userId, ids);
  }
  return byWriter;
}

async function crashAndRecover(kind: DatabaseKind, target: Target) {
  const ledger = new Ledger();
  const t0 = Date.now();
  const phases: string[] = [];
  const lap = (label: string) => phases.push(`${label} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  let app: AppProcess | undefined;
  let writers: Writer[] = [];
  try {
    app = await startApp({ root, env: appEnv(target) });
    lap("started");
    const setup = await setUp(app.port, `${kind}-${Date.now().toString(36)}`);
    const { articles, entityIds } = setup;
    writers = setup.writers;
    for (const writer of writers) ledger.addUser(writer.userId);
    lap("set up");

    // Stream, and kill the server's whole process group with SIGKILL in the middle of it.
    let killed = false;
    const started = Date.now();
    const firstApp = app;
    const killer = (async () => {
      const isTime = () => (ledger.acknowledgedCreates >= minAcknowledged && Date.now() - started >= minStreamMs) || Date.now() - started > maxStreamMs;
      while (!isTime()) await new Promise((resolve) => setTimeout(resolve, 20));
      killed = true; // before the signal: a request failing from now on is one the kill cut off
      await killApp(firstApp, "SIGKILL");
    })();
    const tally = await streamCreates({ writers, articles, entityIds, ledger, shouldStop: () => killed && firstApp.hasExited(), isKilled: () => killed });
    await killer;
    expect(tally.failuresBeforeKill, "errors before the kill").toEqual([]);
    expect(ledger.acknowledgedCreates, "creates acknowledged before the kill").toBeGreaterThanOrEqual(minAcknowledged);
    const inFlight = tally.unanswered.length;
    lap("killed");
    console.log(`[crash ${kind}] killed after ${Date.now() - started} ms: ${tally.requests} requests, ${ledger.acknowledgedCreates} creates acknowledged, ${inFlight} requests unanswered`);

    // Restart on the same database: it must come up (PGlite reopens the data dir after the kill).
    app = await startApp({ root, env: appEnv(target) });
    lap("restarted");
    for (const writer of writers) {
      const { cookie } = writer.client;
      writer.client.close();
      writer.client = new HttpClient(app.port);
      writer.client.cookie = cookie;
    }

    // Every acknowledged annotation is there once; besides them, at most the unanswered ones.
    const before = await listMine(writers, articles);
    for (const writer of writers) {
      const ids = before.get(writer.userId)!;
      const acknowledgedIds = ledger.acknowledgedIdsOf(writer.userId);
      expect(new Set(ids).size, `${writer.name}: an id listed twice`).toBe(ids.length);
      expect(acknowledgedIds.filter((id) => !ids.includes(id)), `${writer.name}: acknowledged annotations missing after the restart`).toEqual([]);
      const unansweredCreates = tally.unanswered.filter((batch) => batch.writer === writer).reduce((sum, batch) => sum + batch.creates.length, 0);
      expect(ids.length, `${writer.name}: more annotations than acknowledged + unanswered`).toBeLessThanOrEqual(acknowledgedIds.length + unansweredCreates);
    }

    // Retry each unanswered request with the same keys, twice at once (a client retrying while its first retry is
    // still in flight): 201 if it never committed, else a 200 replay; never a second row, never an error.
    const retried = { created: 0, replayed: 0 };
    for (const batch of tally.unanswered) {
      const outcomes = await Promise.all([sendBatch(batch, ledger), sendBatch(batch, ledger)]);
      const label = `retries of ${batch.writer.name}'s ${batch.creates[0]!.idempotencyKey}`;
      const statuses = outcomes.map((outcome) => outcome.status).sort();
      expect([[200, 200], [200, 201]], `${label} answered ${statuses.join(", ")} ${outcomes.map((outcome) => outcome.error ?? "").join(" ")}`).toContainEqual(statuses);
      expect([...outcomes[0]!.ids].sort(), `${label} name the same annotations`).toEqual([...outcomes[1]!.ids].sort());
      if (outcomes.some((outcome) => outcome.status === 201)) retried.created++;
      else retried.replayed++;
    }
    // And everything once more (the same requests, and single creates with keys of acknowledged annotations): every
    // answer a 200 replay naming the annotations already known.
    const again: SentBatch[] = [...tally.unanswered];
    for (const writer of writers) {
      for (const id of ledger.acknowledgedIdsOf(writer.userId).slice(0, 3)) {
        const create = ledger.createOf(id);
        again.push({ writer: { ...writer, batchSize: 1 }, articleId: create.articleId, creates: [create] });
      }
    }
    for (const batch of again) {
      const known = batch.creates.map((create) => ledger.idOfKey(batch.writer.userId, create.idempotencyKey));
      const outcome = await sendBatch(batch, ledger);
      expect(outcome.status, `second retry of ${batch.creates[0]!.idempotencyKey}`).toBe(200);
      expect([...outcome.ids].sort(), `second retry of ${batch.creates[0]!.idempotencyKey} names the same annotations`).toEqual([...known].sort());
    }
    console.log(`[crash ${kind}] retried ${inFlight} unanswered requests: ${retried.replayed} had been committed (200), ${retried.created} had not (201)`);

    const after = await listMine(writers, articles);
    for (const writer of writers) {
      expect([...after.get(writer.userId)!].sort(), `${writer.name}: live annotations = acknowledged ones`).toEqual(ledger.acknowledgedIdsOf(writer.userId).sort());
    }
    expect(ledger.unansweredCreates(), "creates still without an answer").toEqual([]);

    lap("retried");
    // A clean stop, then the database itself.
    await killApp(app, "SIGTERM");
    lap("stopped");
    const { report, totals } = await target.verify(ledger);
    lap("verified");
    console.log(`[crash ${kind}] ${phases.join(", ")}`);
    console.log(`[crash ${kind}] ${describeReport(report).replace(/\n/g, "; ")}`);
    expect(report.ok, describeReport(report)).toBe(true);
    expect(totals.annotations, "annotations in the whole database").toBe(report.acknowledgedCreates);
    expect(totals.createAudits, "annotation.create audit events in the whole database").toBe(report.acknowledgedCreates);
  } catch (error) {
    if (app && error instanceof Error) error.message += `\n--- app output (last 4000 characters) ---\n${app.output().slice(-4000)}`;
    throw error;
  } finally {
    for (const writer of writers) writer.client.close();
    if (app) await killApp(app, "SIGKILL");
    await target.remove();
  }
}

test.describe("annotation writes survive a server crash", () => {
  test.describe.configure({ timeout: 75_000 });

  test("PostgreSQL: SIGKILL mid-stream loses no acknowledged create and doubles none", async () => {
    const serverUrl = await findPostgresServer();
    test.skip(!serverUrl, "no PostgreSQL: DATABASE_URL is unset and nothing answers on 127.0.0.1:5432");
    await crashAndRecover("postgresql", await postgresTarget(serverUrl!));
  });

  test("embedded PGlite: SIGKILL mid-stream, the data dir reopens, no acknowledged create lost or doubled", async () => {
    await crashAndRecover("pglite", pgliteTarget());
  });
});
