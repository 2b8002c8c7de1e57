// Fresh PostgreSQL databases for the load bench and the crash test, never the server's `postgres` database itself.
// Each is named `<prefix>_<random>` and commented with its owner process, so that databases left behind by a run
// killed with SIGKILL are dropped by the next run on this host (their owner is gone).
import { randomBytes } from "node:crypto";
import os from "node:os";
import pg from "pg";

/** Where the tests and benches make databases when DATABASE_URL is unset. */
export const localPostgresUrl = "postgresql://postgres@127.0.0.1:5432/postgres";

export interface FreshDatabase {
  name: string;
  url: string;
  /** VACUUM ANALYZE after seeding, so that autovacuum does not run on the same cores in the middle of a measurement. */
  vacuum(): Promise<void>;
  drop(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function adminUrlOf(serverUrl: string): string {
  const url = new URL(serverUrl);
  url.pathname = "/postgres";
  return url.toString();
}

async function withAdmin<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrlOf(serverUrl), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** DATABASE_URL's server when set, else the local server if it answers; null when there is none. */
export async function findPostgresServer(): Promise<string | null> {
  const candidate = process.env.DATABASE_URL || localPostgresUrl;
  try {
    await withAdmin(candidate, (client) => client.query("select 1"));
    return candidate;
  } catch {
    return process.env.DATABASE_URL ? candidate : null; // a configured server that does not answer is an error for the caller to see
  }
}

/** Creates `<prefix>_<random>` on the server of `serverUrl`, after dropping this host's stale ones of the same prefix. */
export async function createFreshDatabase(serverUrl: string, prefix: string, log: (message: string) => void = () => {}): Promise<FreshDatabase> {
  if (!/^[a-z][a-z0-9_]*$/.test(prefix)) throw new Error(`bad database prefix ${prefix}`);
  const ownerTag = `${prefix} owner pid=${process.pid} host=${os.hostname()}`;
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  await withAdmin(serverUrl, async (client) => {
    const stale = await client.query<{ datname: string; comment: string | null }>(
      `select d.datname, shobj_description(d.oid, 'pg_database') as comment from pg_database d where d.datname like $1`,
      [`${prefix.replace(/_/g, "\\_")}\\_%`],
    );
    for (const row of stale.rows) {
      const match = /^(\S+) owner pid=(\d+) host=(.*)$/.exec(row.comment ?? "");
      if (!match || match[1] !== prefix || match[3] !== os.hostname() || isAlive(Number(match[2]))) continue;
      log(`dropping stale database ${row.datname}`);
      await client.query(`drop database if exists "${row.datname}" with (force)`).catch(() => {});
    }
    await client.query(`create database "${name}"`);
    await client.query(`comment on database "${name}" is '${ownerTag.replace(/'/g, "''")}'`);
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | undefined;
  return {
    name,
    url: url.toString(),
    vacuum: () => withAdmin(url.toString(), async (client) => void (await client.query("vacuum analyze"))),
    drop: () => (dropped ??= withAdmin(serverUrl, async (client) => void (await client.query(`drop database if exists "${name}" with (force)`)))),
  };
}
