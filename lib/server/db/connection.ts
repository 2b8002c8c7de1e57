import "server-only";
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";

/**
 * The one physical database of this process: PostgreSQL when DATABASE_URL is set, otherwise an embedded
 * PGlite on disk under SPANLIGHT_DATA_DIR (default ./data). Cached on globalThis because Next.js may load
 * this module more than once per process, and a PGlite data directory must be opened exactly once.
 */
export type DatabaseConnection =
  | { kind: "postgres"; url: string; pool: pg.Pool }
  | { kind: "pglite"; dataDir: string; pglite: PGlite };

const globalForDb = globalThis as unknown as { spanlightConnection?: DatabaseConnection };

export function getDataDir(): string {
  return path.resolve(process.env.SPANLIGHT_DATA_DIR || "./data");
}

export function getConnection(): DatabaseConnection {
  globalForDb.spanlightConnection ??= openConnection();
  return globalForDb.spanlightConnection;
}

function openConnection(): DatabaseConnection {
  const url = process.env.DATABASE_URL;
  if (url) {
    const pool = new pg.Pool({ connectionString: url, max: Number(process.env.SPANLIGHT_DB_POOL_SIZE ?? 10) });
    return { kind: "postgres", url, pool };
  }
  const dataDir = path.join(getDataDir(), "pglite");
  fs.mkdirSync(dataDir, { recursive: true });
  return { kind: "pglite", dataDir, pglite: new PGlite(dataDir) };
}

/** Closes the connection (tests and scripts); the next getConnection() opens a new one. */
export async function closeConnection(): Promise<void> {
  const connection = globalForDb.spanlightConnection;
  globalForDb.spanlightConnection = undefined;
  if (!connection) return;
  if (connection.kind === "postgres") await connection.pool.end();
  else await connection.pglite.close();
}
