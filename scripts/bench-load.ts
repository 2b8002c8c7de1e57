// The load bench, for `npm run bench` (`--only=load` alone; `--load-seconds=N` or BENCH_LOAD_SECONDS for a shorter
// run): the built app on PostgreSQL (a fresh database on DATABASE_URL's server, else on the local one), migrated and
// demo-seeded by the app's own start; copies of the demo project with 50 newly signed-up annotators (5 per copy),
// each with its own session; then, for 60 s, every annotator and two reviewer sessions at once (scripts/load/traffic.ts):
// creates with unique idempotency keys, patches, deletes, reader pages, review pages, agreement, each user pausing
// about a second between an answer and its next request (BENCH_LOAD_THINK_MS; brisker than any person tags).
// Then a short saturation phase (15 s without pauses, BENCH_LOAD_SATURATION_SECONDS=0 skips it) for the capacity.
// Prints throughput, p50/p95/p99 per endpoint and errors per phase (the targets are for the paced phase), then
// checks the database against every acknowledged write of both (scripts/load/ledger.ts): nothing lost, nothing
// doubled, nothing that was not sent. The database is dropped at the end.
// Talks to the app over HTTP only (and reads the database with pg for the check).
import { randomBytes } from "node:crypto";
import os from "node:os";
import pg from "pg";
import { percentile } from "./bench-stats.ts";
import { processGroupCpuMs } from "./load/cpu.ts";
import { createFreshDatabase, findPostgresServer } from "./load/fresh-postgres.ts";
import { describeReport, Ledger, type VerifyReport } from "./load/ledger.ts";
import { setUpLoad } from "./load/setup.ts";
import { driveTraffic, endpoints, writeEndpoints, type EndpointStats, type TrafficResult } from "./load/traffic.ts";

export interface LoadBenchOptions {
  /** Seconds of paced load (default 60). */
  durationSeconds: number;
  /** Starts `next start` with this environment (the caller adds PORT and NODE_ENV) and resolves once it answers. */
  startServer(env: NodeJS.ProcessEnv): Promise<{ port: number; stop(): Promise<void>; output?(): string; /** Leads its own process group. */ pid?: number }>;
  onCleanup(task: () => Promise<void>): () => Promise<void>;
  log(message: string): void;
}

interface PhaseFigures {
  thinkMs: number;
  /** The app server's CPU (user + system, its whole process group) per request; null where /proc is missing. */
  serverCpuMsPerRequest: number | null;
  /** This bench process's own CPU per request (the load generator competes with the server for the same cores). */
  clientCpuMsPerRequest: number;
  /** The machine's 1-minute load average at the end (2 cores: above 2, others were competing). */
  loadAverage: number;
  durationMs: number;
  requests: number;
  requestsPerSecond: number;
  writesPerSecond: number;
  errors: number;
  writeP95Ms: number | null;
  endpoints: Record<string, ReturnType<EndpointStats["summary"]>>;
}

export interface LoadBenchResult {
  database: "postgresql";
  annotators: number;
  projects: number;
  reviewerSessions: number;
  poolSize: number;
  seededAnnotations: number;
  paced: PhaseFigures;
  saturation: PhaseFigures | null;
  errors: number;
  verification: Omit<VerifyReport, "phantom" | "mismatched" | "lost"> & { lost: number; phantom: number; mismatched: number; unexpectedReplays: number };
  rows: [label: string, figures: string, target?: string][];
}

const annotatorCount = 50;
const annotatorsPerProject = 5;
const reviewerSessions = 2;
const seedPerArticle = 8;
/** Pause after each answer before a user's next request, on average (uniform in [0.5, 1.5] × this). */
const thinkMs = Number(process.env.BENCH_LOAD_THINK_MS ?? 1000);
const saturationSeconds = Number(process.env.BENCH_LOAD_SATURATION_SECONDS ?? 15);
const writeP95TargetMs = 100;

export async function benchLoad({ durationSeconds, startServer, onCleanup, log }: LoadBenchOptions): Promise<LoadBenchResult> {
  const serverUrl = await findPostgresServer();
  if (!serverUrl) throw new Error("no PostgreSQL: set DATABASE_URL or run one on 127.0.0.1:5432 (the load bench measures the PostgreSQL set-up)");
  const database = await createFreshDatabase(serverUrl, "spanlight_load", log);
  const dropDatabase = onCleanup(async () => {
    await database.drop();
    log(`load: dropped database ${database.name}`);
  });
  log(`load: fresh database ${database.name}`);
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: database.url };
    delete env.SPANLIGHT_DEMO;
    const server = await startServer(env);
    const stopServer = onCleanup(() => server.stop());
    const ledger = new Ledger();
    const setup = await withServerOutput(server, () => setUpLoad({
      port: server.port,
      runId: randomBytes(3).toString("hex"),
      annotatorCount,
      annotatorsPerProject,
      reviewerSessions,
      seedPerArticle,
      ledger,
      log,
    }));

    log(`load: ${annotatorCount} annotators and ${reviewerSessions} reviewer sessions for ${durationSeconds} s, pausing ${thinkMs} ms on average…`);
    const measure = async (phase: string, durationMs: number, phaseThinkMs: number): Promise<Phase> => {
      const cpuBefore = server.pid ? processGroupCpuMs(server.pid) : null;
      const clientBefore = process.cpuUsage();
      const traffic = await driveTraffic({ setup, ledger, durationMs, thinkMs: phaseThinkMs, phase });
      const client = process.cpuUsage(clientBefore);
      const cpuAfter = server.pid ? processGroupCpuMs(server.pid) : null;
      return {
        traffic,
        thinkMs: phaseThinkMs,
        serverCpuMs: cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : null,
        clientCpuMs: (client.user + client.system) / 1000,
        loadAverage: os.loadavg()[0]!,
      };
    };
    const paced = await measure("paced", durationSeconds * 1000, thinkMs);
    let saturation: Phase | null = null;
    if (saturationSeconds > 0) {
      log(`load: the same users without pauses for ${saturationSeconds} s…`);
      saturation = await measure("saturation", saturationSeconds * 1000, 0);
    }
    for (const client of [...setup.annotators.map((annotator) => annotator.client), ...setup.reviewers]) client.close();
    const serverErrors = (server.output?.() ?? "").split("\n").filter((line) => /error|P20\d\d/i.test(line));
    if (serverErrors.length) log(`load: the server logged errors:\n${serverErrors.slice(0, 40).join("\n")}`);
    await stopServer();

    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    let report: VerifyReport;
    try {
      report = await ledger.verify(async <T>(sql: string, params: unknown[]) => (await pool.query(sql, params)).rows as T[]);
    } finally {
      await pool.end();
    }
    log(`load: verification\n${describeReport(report)}`);
    return summarize({ paced, saturation, report, ledger, seeded: setup.seededAnnotations, projects: setup.projects.length });
  } finally {
    await dropDatabase();
  }
}

interface Phase {
  traffic: TrafficResult;
  thinkMs: number;
  serverCpuMs: number | null;
  clientCpuMs: number;
  loadAverage: number;
}

/** Runs `work`; a failure carries the end of the server's output, which usually says why. */
async function withServerOutput<T>(server: { output?(): string }, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const output = server.output?.().slice(-3000);
    if (output && error instanceof Error) error.message += `\n--- the server's last output ---\n${output}`;
    throw error;
  }
}

const ms = (value: number | null) => (value === null ? "–" : `${Math.round(value)} ms`);
const verdict = (isOk: boolean) => (isOk ? "ok" : "MISSED");

function phaseFigures({ traffic, thinkMs: phaseThinkMs, serverCpuMs, clientCpuMs, loadAverage }: Phase): PhaseFigures {
  const seconds = traffic.elapsedMs / 1000;
  const all = endpoints.map((endpoint) => traffic.stats[endpoint]);
  const requests = all.reduce((sum, stats) => sum + stats.count, 0);
  const writeLatencies = writeEndpoints.flatMap((endpoint) => traffic.stats[endpoint].latencies);
  return {
    thinkMs: phaseThinkMs,
    serverCpuMsPerRequest: serverCpuMs === null || requests === 0 ? null : Math.round((serverCpuMs / requests) * 10) / 10,
    clientCpuMsPerRequest: requests === 0 ? 0 : Math.round((clientCpuMs / requests) * 10) / 10,
    loadAverage: Math.round(loadAverage * 10) / 10,
    durationMs: Math.round(traffic.elapsedMs),
    requests,
    requestsPerSecond: Math.round((requests / seconds) * 10) / 10,
    writesPerSecond: Math.round((writeLatencies.length / seconds) * 10) / 10,
    errors: all.reduce((sum, stats) => sum + stats.errors, 0),
    writeP95Ms: writeLatencies.length ? Math.round(percentile(writeLatencies, 95) * 10) / 10 : null,
    endpoints: Object.fromEntries(endpoints.map((endpoint) => [endpoint, traffic.stats[endpoint].summary()])),
  };
}

function phaseRows(label: string, traffic: TrafficResult, figures: PhaseFigures, withTargets: boolean): LoadBenchResult["rows"] {
  const cpu = `; CPU per request: ${figures.serverCpuMsPerRequest === null ? "" : `server ${figures.serverCpuMsPerRequest} ms, `}bench ${figures.clientCpuMsPerRequest} ms`;
  const rows: LoadBenchResult["rows"] = [
    [
      `${label}: throughput`,
      `${figures.requestsPerSecond.toFixed(0)} req/s (${figures.requests} in ${(figures.durationMs / 1000).toFixed(0)} s), writes ${figures.writesPerSecond.toFixed(0)}/s${cpu}; load average ${figures.loadAverage}`,
    ],
  ];
  for (const endpoint of endpoints) {
    const summary = traffic.stats[endpoint].summary();
    const isWrite = writeEndpoints.includes(endpoint);
    rows.push([
      `${label}: ${endpoint}`,
      `n=${summary.count}, p50 ${ms(summary.p50)}, p95 ${ms(summary.p95)}, p99 ${ms(summary.p99)}, errors ${summary.errors}`,
      withTargets && isWrite && summary.p95 !== null ? `target p95 < ${writeP95TargetMs} ms  ${verdict(summary.p95 < writeP95TargetMs)}` : undefined,
    ]);
  }
  rows.push(
    [
      `${label}: all writes`,
      `p95 ${ms(figures.writeP95Ms)}`,
      withTargets ? `target < ${writeP95TargetMs} ms  ${verdict(figures.writeP95Ms !== null && figures.writeP95Ms < writeP95TargetMs)}` : undefined,
    ],
    [`${label}: errors (non-2xx, socket)`, errorBreakdown(endpoints.map((endpoint) => traffic.stats[endpoint])), `target 0  ${verdict(figures.errors === 0)}`],
  );
  return rows;
}

function summarize({
  paced,
  saturation,
  report,
  ledger,
  seeded,
  projects,
}: {
  paced: Phase;
  saturation: Phase | null;
  report: VerifyReport;
  ledger: Ledger;
  seeded: number;
  projects: number;
}): LoadBenchResult {
  const poolSize = Number(process.env.SPANLIGHT_DB_POOL_SIZE ?? 10);
  const pacedFigures = phaseFigures(paced);
  const saturationFigures = saturation && phaseFigures(saturation);
  const lostOrDoubled = report.lost.length + report.phantom.length + report.mismatched.length + report.countMismatches.length + ledger.unexpectedReplays;
  const rows: LoadBenchResult["rows"] = [
    [`load: ${annotatorCount} annotators + ${reviewerSessions} reviewers, PostgreSQL`, `${projects} projects, ${seeded} annotations seeded, server pool ${poolSize}`],
    ...phaseRows(`load (pause ${thinkMs} ms)`, paced.traffic, pacedFigures, true),
    ...(saturation && saturationFigures ? phaseRows("load (no pause)", saturation.traffic, saturationFigures, false) : []),
    [
      "load: lost / phantom / mismatched writes",
      `${report.lost.length} / ${report.phantom.length} / ${report.mismatched.length} of ${report.acknowledgedCreates} creates, ${report.acknowledgedPatches} patches, ${report.acknowledgedDeletes} deletes`,
      `target 0  ${verdict(lostOrDoubled === 0)}`,
    ],
    [
      "load: database consistency",
      `live counts ${report.countMismatches.length}, audit ${report.auditProblems.length}, orphans ${report.orphans.length}, statuses ${report.missingStatuses.length} off`,
      `target 0  ${verdict(report.ok && ledger.unexpectedReplays === 0)}`,
    ],
  ];
  const { lost, phantom, mismatched, ...restOfReport } = report;
  return {
    database: "postgresql",
    annotators: annotatorCount,
    projects,
    reviewerSessions,
    poolSize,
    seededAnnotations: seeded,
    paced: pacedFigures,
    saturation: saturationFigures,
    errors: pacedFigures.errors + (saturationFigures?.errors ?? 0),
    verification: { ...restOfReport, lost: lost.length, phantom: phantom.length, mismatched: mismatched.length, unexpectedReplays: ledger.unexpectedReplays },
    rows,
  };
}

function errorBreakdown(all: EndpointStats[]): string {
  const counts = new Map<string, number>();
  for (const stats of all) {
    for (const [status, count] of stats.statuses) if (!status.startsWith("2")) counts.set(status, (counts.get(status) ?? 0) + count);
  }
  const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
  return counts.size ? `${total} (${[...counts].map(([status, count]) => `${status}: ${count}`).join(", ")})` : "0";
}
