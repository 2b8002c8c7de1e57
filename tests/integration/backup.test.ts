import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { tempDir } from "../setup/test-database";

/*
 * npm run db:backup / db:restore, spawned as a user runs them. They back up the embedded database only, so the
 * spawned scripts never see DATABASE_URL (a user of the embedded database has none) and the file's test database is
 * not used: each test works on its own SPANLIGHT_DATA_DIR, migrated by `npm run db:migrate` and filled here with
 * PGlite directly. With DATABASE_URL set, the scripts must refuse and print the pg_dump/pg_restore commands.
 */

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const scriptTimeout = 120_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const packageScripts = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
const tsxCli = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");

/**
 * Runs `npm run <script> -- <args>` as package.json declares it, minus npm itself (seconds per run on a busy
 * machine): the declared command must be a tsx one, run here with the same tsx.
 */
function runScript(script: string, args: string[], { dataDir, databaseUrl }: { dataDir: string; databaseUrl?: string }): Promise<Run> {
  const [command, ...declared] = (packageScripts[script] ?? "").split(" ");
  if (command !== "tsx") throw new Error(`package.json scripts.${script} should run tsx, not ${JSON.stringify(packageScripts[script])}`);
  const env: NodeJS.ProcessEnv = { ...process.env, SPANLIGHT_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsxCli, ...declared, ...args], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every row of every table, as sorted JSON lines per table: equal iff the two databases hold the same data. */
async function readAllRows(dataDir: string): Promise<Record<string, string[]>> {
  const pglite = new PGlite(path.join(dataDir, "pglite"));
  try {
    const tables = await pglite.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`);
    const all: Record<string, string[]> = {};
    for (const { name } of tables.rows) {
      const rows = await pglite.query<Record<string, unknown>>(`SELECT * FROM "${name}"`);
      all[name] = rows.rows.map((row) => JSON.stringify(row, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value))).sort();
    }
    return all;
  } finally {
    await pglite.close();
  }
}

async function withDatabase<T>(dataDir: string, use: (pglite: PGlite) => Promise<T>): Promise<T> {
  const pglite = new PGlite(path.join(dataDir, "pglite"));
  try {
    return await use(pglite);
  } finally {
    await pglite.close();
  }
}

/** Some rows in the tables a project starts with, with text that survives only a byte-exact copy. */
async function fillDatabase(pglite: PGlite) {
  await pglite.exec(`
    INSERT INTO "User" ("id", "email", "name", "passwordHash", "updatedAt") VALUES
      ('u1', 'zoe@example.org', 'Zoë Ångström 👍🏽', 'argon2-hash-1', now()),
      ('u2', 'li@example.org', '李 雷', 'argon2-hash-2', now());
    INSERT INTO "Project" ("id", "name", "updatedAt") VALUES ('p1', 'Hollande–Putin talks', now());
    INSERT INTO "Membership" ("id", "projectId", "userId", "role") VALUES ('m1', 'p1', 'u1', 'owner'), ('m2', 'p1', 'u2', 'annotator');
    INSERT INTO "Article" ("id", "projectId", "position", "updatedAt") VALUES ('a1', 'p1', 1, now());
    INSERT INTO "ArticleVersion" ("id", "articleId", "version", "title", "text", "textSha256") VALUES
      ('v1', 'a1', 1, 'Talks', E'Hollande met Putin.\\nThey gave a 👍🏽 to Syria talks.', 'not-checked-here');
    INSERT INTO "AuditEvent" ("actorId", "projectId", "action", "objectType", "objectId", "after") VALUES
      ('u1', 'p1', 'project.create', 'project', 'p1', '{"name": "Hollande–Putin talks"}'),
      ('u1', 'p1', 'article.create', 'article', 'a1', '{"title": "Talks", "nested": {"emoji": "👍🏽"}}');
  `);
}

let source: string;
let work: string;
/** The backup of `source` that the tests restore, and what db:backup said making it. */
let archive: string;
let backup: Run;
const cleanup: string[] = [];

beforeAll(async () => {
  source = tempDir("spanlight-backup-source");
  work = tempDir("spanlight-backup-work");
  cleanup.push(source, work);
  const migrated = await runScript("db:migrate", [], { dataDir: source });
  expect(migrated.code, migrated.stderr).toBe(0);
  await withDatabase(source, fillDatabase);
  archive = path.join(work, "roundtrip.tar.gz");
  backup = await runScript("db:backup", ["--out", archive], { dataDir: source });
}, scriptTimeout);

afterAll(() => {
  for (const dir of cleanup) fs.rmSync(dir, { recursive: true, force: true });
});

describe("npm run db:backup and db:restore (embedded database)", () => {
  test(
    "a backup restored into another data dir holds the same rows, keeps the schema's triggers, and is up to date",
    async () => {
      expect(backup.code, backup.stderr).toBe(0);
      expect(backup.stdout).toContain(`to ${archive}`);
      expect(backup.stdout).toContain("2 users");
      expect([...fs.readFileSync(archive).subarray(0, 2)]).toEqual([0x1f, 0x8b]);

      const target = tempDir("spanlight-backup-target");
      cleanup.push(target);
      const restore = await runScript("db:restore", [archive], { dataDir: target });
      expect(restore.code, restore.stderr).toBe(0);
      expect(fs.readdirSync(target)).toEqual(["pglite"]);

      const [before, after] = [await readAllRows(source), await readAllRows(target)];
      expect(after).toEqual(before);
      expect(after.User).toHaveLength(2);
      expect(after.AuditEvent).toHaveLength(2);
      expect(after.ArticleVersion![0]).toContain("👍🏽");
      expect(after._prisma_migrations!.length).toBeGreaterThan(0);

      // The append-only audit trigger came along: the restored database still refuses to rewrite history.
      await withDatabase(target, async (pglite) => {
        await expect(pglite.exec(`UPDATE "AuditEvent" SET "action" = 'rewritten'`)).rejects.toThrow();
      });
      const migrate = await runScript("db:migrate", [], { dataDir: target });
      expect(migrate.code, migrate.stderr).toBe(0);
      expect(migrate.stdout).toContain("up to date");
    },
    scriptTimeout,
  );

  test(
    "without --out the backup goes to <SPANLIGHT_DATA_DIR>/backups; an existing file is kept unless --force",
    async () => {
      const first = await runScript("db:backup", [], { dataDir: source });
      expect(first.code, first.stderr).toBe(0);
      const written = fs.readdirSync(path.join(source, "backups"));
      expect(written).toEqual([expect.stringMatching(/^spanlight-\d{8}-\d{6}\.tar\.gz$/)]);

      const older = path.join(work, "kept.tar.gz");
      fs.writeFileSync(older, "an older backup");
      const refused = await runScript("db:backup", ["--out", older], { dataDir: source });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("already exists");
      expect(fs.readFileSync(older, "utf8")).toBe("an older backup");
      const forced = await runScript("db:backup", ["--out", older, "--force"], { dataDir: source });
      expect(forced.code, forced.stderr).toBe(0);
      expect([...fs.readFileSync(older).subarray(0, 2)]).toEqual([0x1f, 0x8b]);
      expect(fs.readdirSync(work).filter((name) => name.includes(".partial-"))).toEqual([]);
    },
    scriptTimeout,
  );

  test(
    "restore refuses to replace an existing database without --force; with it, the old one is kept aside",
    async () => {
      const target = tempDir("spanlight-backup-existing");
      cleanup.push(target);
      expect((await runScript("db:restore", [archive], { dataDir: target })).code).toBe(0);
      await withDatabase(target, (pglite) => pglite.exec(`INSERT INTO "Project" ("id", "name", "updatedAt") VALUES ('p2', 'Made after the backup', now())`));
      const changed = await readAllRows(target);

      const refused = await runScript("db:restore", [archive], { dataDir: target });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("already holds a database");
      expect(refused.stderr).toContain("--force");
      expect(await readAllRows(target)).toEqual(changed);

      const forced = await runScript("db:restore", [archive, "--force"], { dataDir: target });
      expect(forced.code, forced.stderr).toBe(0);
      expect(await readAllRows(target)).toEqual(await readAllRows(source));
      const kept = fs.readdirSync(target).filter((name) => name.startsWith("pglite.replaced-"));
      expect(kept).toHaveLength(1);
      expect(forced.stdout).toContain(kept[0]);
      const keptPglite = new PGlite(path.join(target, kept[0]!));
      try {
        const keptRows = await keptPglite.query<{ name: string }>(`SELECT "name" FROM "Project" ORDER BY "id"`);
        expect(keptRows.rows.map((row) => row.name)).toEqual(["Hollande–Putin talks", "Made after the backup"]);
      } finally {
        await keptPglite.close();
      }
    },
    scriptTimeout,
  );

  test(
    "both refuse while another process has the database open, and change nothing",
    async () => {
      const entries = fs.readdirSync(source).sort();
      const held = new PGlite(path.join(source, "pglite"));
      await held.waitReady;
      try {
        const backup = await runScript("db:backup", ["--out", path.join(work, "while-held.tar.gz")], { dataDir: source });
        expect(backup.code).toBe(1);
        expect(backup.stderr).toContain("open in another process");
        expect(backup.stderr).toContain(`pid ${process.pid}`);
        expect(fs.existsSync(path.join(work, "while-held.tar.gz"))).toBe(false);
        const restore = await runScript("db:restore", [archive, "--force"], { dataDir: source });
        expect(restore.code).toBe(1);
        expect(restore.stderr).toContain("open in another process");
        expect(fs.readdirSync(source).sort()).toEqual(entries);
      } finally {
        await held.close();
      }
    },
    scriptTimeout,
  );

  test(
    "a file that is not a backup is refused and leaves the data dir as it was",
    async () => {
      const target = tempDir("spanlight-backup-bad");
      cleanup.push(target);
      const text = path.join(work, "notes.txt");
      fs.writeFileSync(text, "not an archive");
      const plain = await runScript("db:restore", [text], { dataDir: target });
      expect(plain.code).toBe(1);
      expect(plain.stderr).toContain("is not a .tar.gz made by npm run db:backup");
      const { gzipSync } = await import("node:zlib");
      const gzipped = path.join(work, "notes.tar.gz");
      fs.writeFileSync(gzipped, gzipSync("still not a database"));
      const bad = await runScript("db:restore", [gzipped], { dataDir: target });
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain("Nothing was changed");
      expect(fs.readdirSync(target)).toEqual([]);
      const nothing = await runScript("db:backup", [], { dataDir: target });
      expect(nothing.code).toBe(1);
      expect(nothing.stderr).toContain("no embedded database");
    },
    scriptTimeout,
  );
});

describe("with DATABASE_URL set", () => {
  const databaseUrl = "postgresql://spanlight:s3cret-password@db.invalid:5432/spanlight";

  test(
    "backup and restore print the pg_dump / pg_restore commands, exit non-zero, and never echo the URL",
    async () => {
      const dataDir = tempDir("spanlight-backup-postgres");
      cleanup.push(dataDir);
      const backup = await runScript("db:backup", ["--out", path.join(dataDir, "x.tar.gz")], { dataDir, databaseUrl });
      expect(backup.code).toBe(1);
      expect(backup.stderr).toMatch(/pg_dump --format=custom .*"\$DATABASE_URL"/);
      const restore = await runScript("db:restore", [path.join(dataDir, "x.tar.gz")], { dataDir, databaseUrl });
      expect(restore.code).toBe(1);
      expect(restore.stderr).toMatch(/pg_restore --clean --if-exists .*--single-transaction .*--dbname="\$DATABASE_URL"/);
      for (const run of [backup, restore]) expect(run.stdout + run.stderr).not.toContain("s3cret-password");
      expect(fs.readdirSync(dataDir)).toEqual([]);
    },
    scriptTimeout,
  );

  // The file's own database (tests/setup/file-database.ts), never the server's `postgres` database.
  const fileDatabaseUrl = process.env.DATABASE_URL;
  const hasPgTools = spawnSync("pg_dump", ["--version"]).status === 0 && spawnSync("pg_restore", ["--version"]).status === 0;

  test.skipIf(!fileDatabaseUrl || !hasPgTools)(
    "the printed commands, run as printed, back up and restore a PostgreSQL database (needs DATABASE_URL and pg_dump on PATH)",
    async () => {
      const dir = tempDir("spanlight-pg-dump");
      cleanup.push(dir);
      const printed = await runScript("db:backup", [], { dataDir: dir, databaseUrl: fileDatabaseUrl });
      const command = (tool: string) => printed.stderr.split("\n").map((line) => line.trim()).find((line) => line.startsWith(`${tool} `))!;
      const run = (line: string) => {
        const result = spawnSync("sh", ["-c", line], { cwd: dir, env: { ...process.env, DATABASE_URL: fileDatabaseUrl }, encoding: "utf8" });
        expect(result.status, result.stderr).toBe(0);
      };
      const client = new pg.Client({ connectionString: fileDatabaseUrl });
      await client.connect();
      const projects = async () => (await client.query<{ id: string; name: string }>(`SELECT "id", "name" FROM "Project" WHERE "id" LIKE 'pgdump-%' ORDER BY "id"`)).rows;
      try {
        await client.query(`INSERT INTO "Project" ("id", "name", "updatedAt") VALUES ('pgdump-1', 'Zoë 👍🏽 before the dump', now())`);
        run(command("pg_dump"));
        await client.query(`INSERT INTO "Project" ("id", "name", "updatedAt") VALUES ('pgdump-2', 'after the dump', now())`);
        run(command("pg_restore"));
        expect(await projects()).toEqual([{ id: "pgdump-1", name: "Zoë 👍🏽 before the dump" }]);
      } finally {
        await client.end();
      }
    },
    scriptTimeout,
  );
});
