import "server-only";
import fs from "node:fs";
import path from "node:path";
import type { DatabaseConnection } from "./connection";
import { isUpToDate } from "./migration-status";
import { createSchemaEngine, migrationsDir, noFilters, readMigrationList } from "./schema-engine";

/**
 * Applies pending migrations (what `prisma migrate deploy` does): records them in `_prisma_migrations`,
 * under an advisory lock, so concurrent app instances are safe. A failing migration throws and is never
 * recorded as applied. Returns the names of the migrations applied now.
 */
export async function applyPendingMigrations(connection: DatabaseConnection, directory = migrationsDir): Promise<string[]> {
  const migrationsList = readMigrationList(directory);
  if (await isUpToDate(connection, migrationsList)) return [];
  const { engine, close } = await createSchemaEngine(connection);
  try {
    const result = await engine.applyMigrations({ migrationsList, filters: noFilters });
    return result.appliedMigrationNames;
  } finally {
    await close();
  }
}

/**
 * Writes the next migration from the difference between the committed migrations and schema.prisma
 * (what `prisma migrate dev --create-only` does). Returns the new folder, or null when nothing changed.
 */
export async function createMigrationFromSchema(connection: DatabaseConnection, name: string, directory = migrationsDir) {
  const { engine, schemaFiles, close } = await createSchemaEngine(connection);
  try {
    const list = readMigrationList(directory);
    const from = list.migrationDirectories.length ? { tag: "migrations" as const, ...list } : { tag: "empty" as const };
    const diff = await engine.diff({
      from,
      to: { tag: "schemaDatamodel", files: schemaFiles },
      script: true,
      exitCode: null,
      filters: noFilters,
    } as never);
    const sql = (diff as { stdout: string }).stdout;
    if (!sql.trim() || /^-- This is an empty migration\.?\s*$/.test(sql.trim())) return null;
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "") || "migration";
    const folder = path.join(directory, `${stamp}_${slug}`);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, "migration.sql"), sql);
    const lockPath = path.join(directory, "migration_lock.toml");
    if (!fs.existsSync(lockPath)) fs.writeFileSync(lockPath, 'provider = "postgresql"\n');
    return folder;
  } finally {
    await close();
  }
}
