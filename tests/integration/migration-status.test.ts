import { expect, test } from "vitest";
import { getConnection } from "@/lib/server/db/connection";
import { isUpToDate } from "@/lib/server/db/migration-status";
import { readMigrationList } from "@/lib/server/db/schema-engine";

test("a restart skips the schema engine only when every migration is recorded with its checksum", async () => {
  const connection = getConnection();
  const list = readMigrationList();
  expect(await isUpToDate(connection, list)).toBe(true);

  const [first] = list.migrationDirectories;
  const edited = { ...list, migrationDirectories: [{ ...first!, migrationFile: { path: "migration.sql", content: { tag: "ok" as const, value: "-- edited" } } }] };
  expect(await isUpToDate(connection, edited as typeof list)).toBe(false);

  const withNewMigration = { ...list, migrationDirectories: [...list.migrationDirectories, { ...first!, path: "99990101000000_next" }] };
  expect(await isUpToDate(connection, withNewMigration as typeof list)).toBe(false);
});
