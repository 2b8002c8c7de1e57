// npm run db:migrate – apply prisma/migrations to the configured database (DATABASE_URL or the embedded one).
import { closeConnection, getConnection } from "@/lib/server/db/connection";
import { applyPendingMigrations } from "@/lib/server/db/migrate";

const connection = getConnection();
const target = connection.kind === "postgres" ? "PostgreSQL" : `embedded PGlite at ${connection.dataDir}`;
try {
  const applied = await applyPendingMigrations(connection);
  console.log(applied.length ? `Applied to ${target}: ${applied.join(", ")}` : `${target} is up to date.`);
} catch (error) {
  console.error(`Migration failed on ${target}: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await closeConnection();
}
// The WASM engine leaves timers behind that would keep the process alive for up to a minute.
process.exit();
