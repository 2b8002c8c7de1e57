// npm run db:new-migration -- <name> – write the next migration from the schema diff.
import { closeConnection, getConnection } from "@/lib/server/db/connection";
import { createMigrationFromSchema } from "@/lib/server/db/migrate";

const name = process.argv.slice(2).join("_");
if (!name) {
  console.error("Usage: npm run db:new-migration -- <name>");
  process.exit(2);
}
try {
  const folder = await createMigrationFromSchema(getConnection(), name);
  console.log(folder ? `Wrote ${folder}/migration.sql – review it, add CHECK constraints by hand, commit it.` : "schema.prisma matches the migrations: nothing to write.");
} catch (error) {
  console.error(`Could not create the migration: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await closeConnection();
}
process.exit();
