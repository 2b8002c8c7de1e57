import { db } from "@/lib/db";

/*
 * A digest of everything stored: per table, the row count and an md5 over the rows (order-independent), for
 * "a rejected write changes nothing". Left out: columns that a read legitimately touches (a session's lastSeenAt, a
 * token's lastUsedAt), and the sign-in throttle, whose whole point is to count refused attempts.
 */

const volatileColumns = ["lastSeenAt", "lastUsedAt", "expiresAt"];
const volatileTables = ["LoginThrottle"];

export type DatabaseDigest = Record<string, { rows: number; md5: string }>;

let tables: string[] | undefined;

async function listTables(): Promise<string[]> {
  tables ??= (
    await db.$queryRawUnsafe<{ name: string }[]>(
      `SELECT table_name AS "name" FROM information_schema.tables
       WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT LIKE '\\_%' ORDER BY table_name`,
    )
  )
    .map((row) => row.name)
    .filter((name) => !volatileTables.includes(name));
  return tables;
}

/** Row count and content digest of every application table. */
export async function digestDatabase(): Promise<DatabaseDigest> {
  const names = await listTables();
  const strip = volatileColumns.map((column) => ` - '${column}'`).join("");
  const sql = names
    .map(
      (name) =>
        `SELECT '${name}' AS "name", count(*)::int AS "rows",
         md5(coalesce(string_agg(md5((to_jsonb(t)${strip})::text), '' ORDER BY md5((to_jsonb(t)${strip})::text)), '')) AS "md5"
         FROM "${name}" t`,
    )
    .join(" UNION ALL ");
  const rows = await db.$queryRawUnsafe<{ name: string; rows: number; md5: string }[]>(sql);
  return Object.fromEntries(rows.map((row) => [row.name, { rows: row.rows, md5: row.md5 }]));
}

/** The tables whose digest differs, with their row counts before and after. */
export function digestDifference(before: DatabaseDigest, after: DatabaseDigest): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((name) => before[name]?.md5 !== after[name]?.md5)
    .map((name) => `${name} (${before[name]?.rows ?? "-"} → ${after[name]?.rows ?? "-"} rows)`);
}
