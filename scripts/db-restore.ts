// npm run db:restore -- <file.tar.gz> [--force] – restore a backup made by npm run db:backup into the embedded
// database under SPANLIGHT_DATA_DIR. Stop Spanlight first. Refuses to replace an existing database without
// --force, and even then keeps it aside. With DATABASE_URL set, prints the pg_restore command to use instead.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import {
  ScriptError,
  assertNotHeld,
  describeContents,
  fileStamp,
  getEmbeddedDir,
  isNonEmptyDir,
  postgresInstructions,
  resolveUserPath,
} from "@/lib/server/history/embedded-backup";

const usage = "Usage: npm run db:restore -- <file.tar.gz> [--force]   (--force replaces an existing embedded database, keeping it aside)";

/** A gzip stream (1f 8b) or a plain tar ("ustar" at 257): what PGlite's dumpDataDir writes. */
function looksLikeArchive(bytes: Uint8Array): boolean {
  const isGzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const isTar = new TextDecoder().decode(bytes.subarray(257, 262)) === "ustar";
  return isGzip || isTar;
}

async function restore(): Promise<void> {
  const { values, positionals } = parseArgs({ options: { force: { type: "boolean", default: false }, help: { type: "boolean", short: "h" } }, allowPositionals: true });
  if (values.help) return console.log(usage);
  if (process.env.DATABASE_URL) throw new ScriptError(postgresInstructions());
  if (positionals.length !== 1) throw new ScriptError(usage);
  const file = resolveUserPath(positionals[0]!);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new ScriptError(`No such file: ${file}`);
  const bytes = fs.readFileSync(file);
  if (!looksLikeArchive(bytes)) throw new ScriptError(`${file} is not a .tar.gz made by npm run db:backup.`);

  const target = getEmbeddedDir();
  const hasExisting = isNonEmptyDir(target);
  if (hasExisting && !values.force) {
    throw new ScriptError(
      `${target} already holds a database. Restoring would replace it: run again with --force to do so (the current one is kept aside, not deleted).`,
    );
  }
  const note = assertNotHeld(target, { force: values.force });
  if (note) console.log(note);

  // Unpacked and checked beside the target first, so a bad archive leaves the current database untouched.
  const stamp = fileStamp();
  const staging = `${target}.restoring-${stamp}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(staging), { recursive: true });
  let contents: string;
  try {
    const pglite = new PGlite(staging, { loadDataDir: new Blob([bytes]) });
    try {
      await pglite.waitReady;
      try {
        await pglite.query(`SELECT count(*) FROM "_prisma_migrations"`);
      } catch {
        throw new ScriptError(`${file} holds a PostgreSQL data directory, but not a Spanlight database (it has no migrations table).`);
      }
      contents = await describeContents(pglite);
    } finally {
      await pglite.close();
    }
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    if (error instanceof ScriptError) throw error;
    throw new ScriptError(`Could not restore ${file}: ${error instanceof Error ? error.message : String(error)}. Nothing was changed.`);
  }

  let keptAt: string | null = null;
  if (hasExisting) {
    keptAt = `${target}.replaced-${stamp}`;
    fs.renameSync(target, keptAt);
  } else {
    fs.rmSync(target, { recursive: true, force: true });
  }
  fs.renameSync(staging, target);
  console.log(`Restored ${file} into ${target}${contents ? ` (${contents})` : ""}.`);
  if (keptAt) console.log(`The database it replaced is kept at ${keptAt}; delete that folder once you have checked the restored one.`);
  console.log("Start Spanlight again: it applies any migrations newer than the backup.");
}

try {
  await restore();
} catch (error) {
  console.error(error instanceof ScriptError ? error.message : `Restore failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
// PGlite's WASM runtime can leave handles behind that keep the process alive.
process.exit();
