// npm test – the whole suite: unit and integration tests (Vitest), then the browser tests (Playwright, Chromium).
// Integration and browser tests use a fresh database each: PostgreSQL when DATABASE_URL is set, embedded PGlite otherwise.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const chromium = process.env.SPANLIGHT_CHROMIUM ?? "/usr/bin/chromium";
const totals = { passed: 0, failed: 0, skipped: 0 };
let exitCode = 0;

function run(label, command, args) {
  console.log(`\n── ${label} ──`);
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: process.env });
  if (result.status !== 0) exitCode = result.status ?? 1;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, file), "utf8"));
  } catch {
    return null;
  }
}

fs.rmSync(path.join(root, "test-results"), { recursive: true, force: true });
run("node scripts/prisma-generate.mjs", process.execPath, [path.join(root, "scripts", "prisma-generate.mjs")]);
run("type check", bin("tsc"), ["--noEmit"]);
run("unit and integration tests (vitest)", bin("vitest"), ["run"]);
function countVitest(file) {
  const vitest = readJson(file);
  if (!vitest) return;
  totals.passed += vitest.numPassedTests;
  totals.failed += vitest.numFailedTests;
  totals.skipped += vitest.numPendingTests + (vitest.numTodoTests ?? 0);
}
countVitest("test-results/vitest.json");

// The guarantees that must hold on both databases run once more on the embedded one when the suite above ran on
// PostgreSQL: the authorization matrix, the fuzzing of every write endpoint, the security checks, backups.
const bothDatabases = ["authz-matrix", "fuzz-writes", "security", "backup"].map((name) => `tests/integration/${name}.test.ts`);
if (process.env.DATABASE_URL) {
  const embedded = { ...process.env };
  delete embedded.DATABASE_URL;
  console.log("\n── the same guarantees on the embedded database (vitest, PGlite) ──");
  // (It writes test-results/vitest.json again; the run above is already counted.)
  const result = spawnSync(bin("vitest"), ["run", "--project", "integration", ...bothDatabases], {
    cwd: root,
    stdio: "inherit",
    env: embedded,
  });
  if (result.status !== 0) exitCode = result.status ?? 1;
  countVitest("test-results/vitest.json");
}

if (fs.existsSync(chromium)) {
  run("browser tests (playwright, Chromium)", bin("playwright"), ["test"]);
  const stats = readJson("test-results/playwright.json")?.stats;
  if (stats) {
    totals.passed += stats.expected;
    totals.failed += stats.unexpected + (stats.flaky ?? 0);
    totals.skipped += stats.skipped;
  }
} else if (process.env.CI) {
  console.error(`\nChromium is missing at ${chromium}: the browser tests cannot run. Install it (apt-get install -y chromium).`);
  exitCode = exitCode || 1;
} else {
  console.warn(`\nSKIPPED the browser tests: no Chromium at ${chromium} (apt-get install -y chromium, or set SPANLIGHT_CHROMIUM).`);
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(exitCode || (totals.failed > 0 ? 1 : 0));
