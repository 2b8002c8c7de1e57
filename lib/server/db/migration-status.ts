import "server-only";
import { createHash } from "node:crypto";
import type { DatabaseConnection } from "./connection";
import type { MigrationList } from "./schema-engine";

interface AppliedMigration {
  migration_name: string;
  checksum: string;
}

async function queryRows<T>(connection: DatabaseConnection, sql: string): Promise<T[]> {
  if (connection.kind === "postgres") return (await connection.pool.query(sql)).rows as T[];
  return (await connection.pglite.query<T>(sql)).rows;
}

/**
 * True when `_prisma_migrations` already records every migration of the folder as finished, with the checksum
 * Prisma computes (sha256 of migration.sql), and none as failed or rolled back. Lets a restart skip loading the
 * schema engine; anything unexpected answers false and the engine decides.
 */
export async function isUpToDate(connection: DatabaseConnection, list: MigrationList): Promise<boolean> {
  try {
    const applied = await queryRows<AppliedMigration>(
      connection,
      `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const unfinished = await queryRows<{ count: number | string }>(
      connection,
      `SELECT count(*) AS count FROM "_prisma_migrations" WHERE finished_at IS NULL AND rolled_back_at IS NULL`,
    );
    if (Number(unfinished[0]?.count ?? 1) !== 0) return false;
    const checksums = new Map(applied.map((row) => [row.migration_name, row.checksum]));
    return list.migrationDirectories.every(({ path, migrationFile }) => {
      const content = migrationFile.content;
      if (content.tag !== "ok") return false;
      return checksums.get(path) === createHash("sha256").update(content.value).digest("hex");
    });
  } catch {
    return false; // no _prisma_migrations table yet
  }
}
