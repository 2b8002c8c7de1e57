import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { getConnection, type DatabaseConnection } from "@/lib/server/db/connection";

function createPrismaClient(connection: DatabaseConnection) {
  const adapter = connection.kind === "postgres" ? new PrismaPg(connection.pool) : new PrismaPGlite(connection.pglite);
  // Secrets never leave the server: they are omitted from every query unless a caller selects them.
  return new PrismaClient({
    adapter,
    omit: { user: { passwordHash: true }, session: { tokenHash: true }, apiToken: { tokenHash: true } },
  });
}

export type Db = ReturnType<typeof createPrismaClient>;
/** Inside `db.$transaction` use only this client: on PGlite the outer one waits for the transaction to end. */
export type DbTransaction = Parameters<Parameters<Db["$transaction"]>[0]>[0];

const globalForPrisma = globalThis as unknown as { spanlightPrisma?: { client: Db; connection: DatabaseConnection } };

/** The one Prisma client of this process, bound to the current connection. */
export function getDb(): Db {
  const connection = getConnection();
  if (globalForPrisma.spanlightPrisma?.connection !== connection) {
    globalForPrisma.spanlightPrisma = { client: createPrismaClient(connection), connection };
  }
  return globalForPrisma.spanlightPrisma.client;
}

export const db: Db = new Proxy({} as Db, {
  get(_target, property) {
    const client = getDb();
    const value = Reflect.get(client, property, client);
    return typeof value === "function" ? value.bind(client) : value;
  },
});
