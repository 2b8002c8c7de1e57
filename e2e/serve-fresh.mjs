// Serves the app for the end-to-end tests against a FRESH database, so tests never touch a developer's data.
// - DATABASE_URL set: creates `spanlight_e2e_<random>` on that PostgreSQL server and points the app at it;
// - otherwise: a new temporary SPANLIGHT_DATA_DIR for the embedded PGlite.
// Either is removed again when this process ends (child exit, SIGTERM, SIGINT, SIGHUP). Leftovers of runs that
// were killed with SIGKILL are swept on the next start (their owner process is gone).
// The demo project is always seeded (SPANLIGHT_DEMO is removed from the environment).
// Usage: PORT=3210 node e2e/serve-fresh.mjs
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const port = process.env.PORT || process.env.E2E_PORT || "3210";
const ownerTag = `spanlight-e2e owner pid=${process.pid} host=${os.hostname()}`;
const log = (message) => console.log(`[serve-fresh] ${message}`);

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

/** The owner pid written into a database comment or a temp dir marker, if it was this host's. */
function deadOwner(tag) {
  const match = /^spanlight-e2e owner pid=(\d+) host=(.*)$/.exec(tag ?? "");
  return match && match[2] === os.hostname() && !isAlive(Number(match[1]));
}

// ---------- the fresh database ----------

const env = { ...process.env, PORT: port };
delete env.SPANLIGHT_DEMO;
let cleanup = async () => {};

if (process.env.DATABASE_URL) {
  const serverUrl = new URL(process.env.DATABASE_URL);
  const adminUrl = new URL(serverUrl);
  adminUrl.pathname = "/postgres";
  const admin = async (work) => {
    const client = new pg.Client({ connectionString: adminUrl.toString() });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  const name = `spanlight_e2e_${randomBytes(6).toString("hex")}`;
  await admin(async (client) => {
    // Sweep databases left by runs on this host whose owner process is gone (killed with SIGKILL).
    const stale = await client.query(
      `select d.datname, shobj_description(d.oid, 'pg_database') as comment
         from pg_database d where d.datname like 'spanlight\\_e2e\\_%'`,
    );
    for (const row of stale.rows) {
      if (deadOwner(row.comment)) {
        log(`dropping stale database ${row.datname}`);
        await client.query(`drop database if exists "${row.datname}" with (force)`).catch((error) => log(`could not drop ${row.datname}: ${error.message}`));
      }
    }
    await client.query(`create database "${name}"`);
    await client.query(`comment on database "${name}" is '${ownerTag.replace(/'/g, "''")}'`);
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  env.DATABASE_URL = url.toString();
  log(`fresh PostgreSQL database ${name}`);
  cleanup = async () => {
    await admin((client) => client.query(`drop database if exists "${name}" with (force)`));
    log(`dropped database ${name}`);
  };
} else {
  const tmp = os.tmpdir();
  for (const entry of fs.readdirSync(tmp)) {
    if (!entry.startsWith("spanlight-e2e-")) continue;
    const dir = path.join(tmp, entry);
    let tag;
    try {
      tag = fs.readFileSync(path.join(dir, "owner"), "utf8");
    } catch {
      continue;
    }
    if (deadOwner(tag)) {
      log(`removing stale data dir ${dir}`);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const dir = fs.mkdtempSync(path.join(tmp, "spanlight-e2e-"));
  fs.writeFileSync(path.join(dir, "owner"), ownerTag);
  delete env.DATABASE_URL;
  env.SPANLIGHT_DATA_DIR = dir;
  log(`fresh embedded database under ${dir}`);
  cleanup = async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    log(`removed ${dir}`);
  };
}

// ---------- the server ----------

let cleaning;
function cleanUpOnce() {
  cleaning ??= cleanup().catch((error) => console.error("[serve-fresh] cleanup failed:", error));
  return cleaning;
}

const child = spawn(process.execPath, [path.join(root, "scripts", "start.mjs")], { cwd: root, stdio: "inherit", env });
let childExited = false;
let signalled = null;

const exitAfterCleanup = async (code) => {
  await cleanUpOnce();
  process.exit(code);
};

child.on("exit", (code, signal) => {
  childExited = true;
  void exitAfterCleanup(signalled ? 0 : (code ?? (signal ? 1 : 0)));
});
child.on("error", (error) => {
  console.error("[serve-fresh] could not start the server:", error);
  childExited = true;
  void exitAfterCleanup(1);
});

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    if (signalled) return;
    signalled = signal;
    if (childExited) return;
    child.kill(signal === "SIGHUP" ? "SIGTERM" : signal);
    // The child normally exits within a second; do not let a stuck one keep the database alive.
    setTimeout(() => {
      if (!childExited) child.kill("SIGKILL");
    }, 8000).unref();
  });
}
