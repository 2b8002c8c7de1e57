// npm run db:backup [-- --out file.tar.gz] [--force] – back up the embedded database (PGlite) to a .tar.gz of its
// data directory. Stop Spanlight first. With DATABASE_URL set, prints the pg_dump command to use instead.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { getDataDir } from "@/lib/server/db/connection";
import {
  ScriptError,
  assertNotHeld,
  describeContents,
  fileStamp,
  getEmbeddedDir,
  hasDatabase,
  postgresInstructions,
  resolveUserPath,
} from "@/lib/server/history/embedded-backup";

const usage = "Usage: npm run db:backup [-- --out <file.tar.gz>] [--force]   (--force overwrites an existing file)";

async function backUp(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: "string" }, force: { type: "boolean", default: false }, help: { type: "boolean", short: "h" } } });
  if (values.help) return console.log(usage);
  if (process.env.DATABASE_URL) throw new ScriptError(postgresInstructions());
  const dir = getEmbeddedDir();
  if (!hasDatabase(dir)) throw new ScriptError(`There is no embedded database at ${dir} (SPANLIGHT_DATA_DIR=${getDataDir()}); nothing to back up.`);
  const note = assertNotHeld(dir, { force: values.force });
  if (note) console.log(note);
  const out = values.out ? resolveUserPath(values.out) : path.join(getDataDir(), "backups", `spanlight-${fileStamp()}.tar.gz`);
  if (fs.existsSync(out) && !values.force) throw new ScriptError(`${out} already exists. Choose another --out, or add --force to overwrite it.`);
  fs.mkdirSync(path.dirname(out), { recursive: true });

  const pglite = new PGlite(dir);
  let archive: Blob;
  let contents: string;
  try {
    await pglite.waitReady;
    // Writes every change into the data files, so the copy needs no WAL replay when it is opened.
    await pglite.exec("CHECKPOINT");
    contents = await describeContents(pglite);
    archive = await pglite.dumpDataDir("gzip");
  } finally {
    await pglite.close();
  }
  // Written aside, then renamed: a backup file either is complete or does not exist.
  const partial = `${out}.partial-${process.pid}`;
  try {
    fs.writeFileSync(partial, Buffer.from(await archive.arrayBuffer()));
    fs.renameSync(partial, out);
  } finally {
    fs.rmSync(partial, { force: true });
  }
  const megabytes = (fs.statSync(out).size / 1024 / 1024).toFixed(1);
  console.log(`Backed up the embedded database at ${dir} to ${out} (${megabytes} MB${contents ? `: ${contents}` : ""}).`);
  console.log("Keep a copy somewhere else than this disk. Restore with: npm run db:restore -- <file>");
}

try {
  await backUp();
} catch (error) {
  console.error(error instanceof ScriptError ? error.message : `Backup failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
// PGlite's WASM runtime can leave handles behind that keep the process alive.
process.exit();
