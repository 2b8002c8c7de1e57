import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

/*
 * One fresh database per test file: PostgreSQL when DATABASE_URL is set (a new database copied from a migrated
 * template), the embedded PGlite otherwise (a copy of a migrated template data directory).
 */

export interface TemplateDatabase {
  kind: "postgres" | "pglite";
  /** Database name (postgres) or data directory (pglite). */
  location: string;
}

export function withDatabase(url: string, database: string): string {
  const next = new URL(url);
  next.pathname = `/${database}`;
  return next.toString();
}

export async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}
