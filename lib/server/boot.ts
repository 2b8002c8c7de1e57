import "server-only";
import { getConnection } from "./db/connection";
import { applyPendingMigrations } from "./db/migrate";
import { isDemoEnabled, seedDemoProject } from "./demo/seed";

const globalForBoot = globalThis as unknown as { spanlightBoot?: Promise<void> };

/** Brings the database up to date and seeds the demo project; runs once per process, before any request. */
export function bootServer(): Promise<void> {
  globalForBoot.spanlightBoot ??= (async () => {
    const started = Date.now();
    const connection = getConnection();
    const applied = await applyPendingMigrations(connection);
    if (applied.length) console.log(`[spanlight] applied migrations: ${applied.join(", ")}`);
    if (isDemoEnabled() && (await seedDemoProject())) console.log("[spanlight] created the demo project (sign in as reviewer@demo.spanlight / spanlight-demo)");
    const where = connection.kind === "postgres" ? "PostgreSQL (DATABASE_URL)" : `embedded PGlite at ${connection.dataDir}`;
    console.log(`[spanlight] database ready in ${Date.now() - started} ms: ${where}`);
  })();
  return globalForBoot.spanlightBoot;
}

/** bootServer for the server's start: a database that cannot be prepared stops the process with the reason. */
export async function bootServerOrExit(): Promise<void> {
  try {
    await bootServer();
  } catch (error) {
    console.error("[spanlight] could not prepare the database; refusing to start:", error);
    process.exit(1);
  }
}
