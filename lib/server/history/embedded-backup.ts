import "server-only";
import fs from "node:fs";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { getDataDir } from "@/lib/server/db/connection";

/*
 * Shared by scripts/db-backup.ts and scripts/db-restore.ts: where the embedded database lives, whether another
 * process holds it, and what to tell PostgreSQL users instead.
 *
 * INVARIANT: the embedded database is `<SPANLIGHT_DATA_DIR>/pglite` (lib/server/db/connection.ts opens exactly
 * that); a PGlite data directory may be opened by one process at a time.
 */

/** A refusal the scripts print as it is and exit 1 on. */
export class ScriptError extends Error {}

/** The embedded database's data directory. */
export function getEmbeddedDir(): string {
  return path.join(getDataDir(), "pglite");
}

/** Resolves a path the user typed: `npm run` moves to the package root, INIT_CWD is where they ran it. */
export function resolveUserPath(file: string): string {
  return path.resolve(process.env.INIT_CWD || process.cwd(), file);
}

export function hasDatabase(dir: string): boolean {
  return fs.existsSync(path.join(dir, "PG_VERSION"));
}

export function isNonEmptyDir(dir: string): boolean {
  try {
    return fs.readdirSync(dir).length > 0;
  } catch {
    return false;
  }
}

/** `20261130-224901`: for file names, in UTC. */
export function fileStamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d+Z$/, "").replace(/-/g, "").replace("T", "-").replace(/:/g, "");
}

interface Holder {
  pid: number;
  command: string;
}

/**
 * Other processes with a file under `dir` open, found through /proc (Linux): PGlite keeps its relation files
 * open for as long as the database is. Null where there is no /proc to look in.
 */
function findHolders(dir: string): Holder[] | null {
  if (!fs.existsSync("/proc/self/fd")) return null;
  const prefix = `${fs.realpathSync(dir)}${path.sep}`;
  const holders: Holder[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let links: string[];
    try {
      links = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone meanwhile, or another user's process (which cannot open our files either)
    }
    const holds = links.some((fd) => {
      try {
        return fs.readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith(prefix);
      } catch {
        return false;
      }
    });
    if (!holds) continue;
    let command = "";
    try {
      command = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
    } catch {
      /* ended meanwhile */
    }
    holders.push({ pid, command: command.length > 120 ? `${command.slice(0, 117)}…` : command });
  }
  return holders;
}

/**
 * Refuses (ScriptError) while another process has the embedded database open, since a second PGlite on the same
 * directory would corrupt it. On Linux the open files show who; elsewhere the `postmaster.pid` PGlite keeps while
 * open is the only sign, and `force` overrides it (a killed server leaves it behind; PGlite ignores a stale one).
 * Returns a note to print when a stale `postmaster.pid` was found, else null.
 */
export function assertNotHeld(dir: string, { force }: { force: boolean }): string | null {
  if (!fs.existsSync(dir)) return null;
  const holders = findHolders(dir);
  if (holders && holders.length > 0) {
    const list = holders.map((holder) => `  pid ${holder.pid}${holder.command ? `: ${holder.command}` : ""}`).join("\n");
    throw new ScriptError(`The embedded database at ${dir} is open in another process:\n${list}\nStop Spanlight (npm start / npm run dev) and anything else using it, then run this again.`);
  }
  if (!fs.existsSync(path.join(dir, "postmaster.pid"))) return null;
  if (holders) return `Note: ${path.join(dir, "postmaster.pid")} was left behind by a process that has ended; ignoring it.`;
  if (force) return `Note: ${path.join(dir, "postmaster.pid")} exists; going on because of --force.`;
  throw new ScriptError(
    `${path.join(dir, "postmaster.pid")} exists: Spanlight seems to be running on this database. Stop it first.\n` +
      "If it is not running (it was killed and left the file behind), run this again with --force.",
  );
}

/** Row counts that say what a backup holds; tables a very old database lacks are left out. */
export async function describeContents(pglite: PGlite): Promise<string> {
  const tables = [
    ["Project", "project", "projects"],
    ["Article", "article", "articles"],
    ["Annotation", "annotation", "annotations"],
    ["AuditEvent", "audit event", "audit events"],
    ["User", "user", "users"],
  ] as const;
  const parts: string[] = [];
  for (const [table, one, many] of tables) {
    try {
      const result = await pglite.query<{ count: number }>(`SELECT count(*)::int AS count FROM "${table}"`);
      const count = result.rows[0]?.count ?? 0;
      parts.push(`${count} ${count === 1 ? one : many}`);
    } catch {
      /* not in this database */
    }
  }
  return parts.join(", ");
}

/** What to run instead when DATABASE_URL points at PostgreSQL. Never prints the URL itself: it may hold a password. */
export function postgresInstructions(): string {
  const file = `spanlight-${fileStamp()}.dump`;
  return [
    "DATABASE_URL is set, so Spanlight uses PostgreSQL; npm run db:backup and npm run db:restore handle only the embedded",
    "database. Use PostgreSQL's own tools (a pg_dump at least as new as the server):",
    "",
    "  Back up (a consistent snapshot; Spanlight may keep running):",
    `    pg_dump --format=custom --no-owner --no-privileges --file=${file} "$DATABASE_URL"`,
    "",
    "  Restore (stop Spanlight first; replaces what the database holds, all or nothing):",
    `    pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error --dbname="$DATABASE_URL" ${file}`,
    "",
    "  Then start Spanlight: it applies any migrations newer than the backup.",
    "  If DATABASE_URL carries Prisma-only parameters (e.g. ?schema=…), remove them for pg_dump and pg_restore.",
    "  See docs/data-safety.md.",
  ].join("\n");
}
