import "server-only";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import * as wasmBindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import type { DatabaseConnection } from "./connection";

/*
 * Prisma's own schema engine, compiled to WebAssembly, driven through driver adapters. The Prisma CLI would
 * download a native engine binary these machines cannot reach; this path needs only npm packages.
 * Each adapter below carries a fix for a bug met on the way (see ../shared/recipes/PRISMA-OFFLINE.md).
 */

export type SchemaEngine = wasmBindings.SchemaEngine;
export type MigrationList = Parameters<SchemaEngine["applyMigrations"]>[0]["migrationsList"];
export const noFilters = { externalTables: [], externalEnums: [] };

export const projectRoot = process.env.SPANLIGHT_ROOT ?? process.cwd();
export const schemaPath = path.join(projectRoot, "prisma", "schema.prisma");
export const migrationsDir = path.join(projectRoot, "prisma", "migrations");

let isWasmLoaded = false;
function loadWasm() {
  if (isWasmLoaded) return;
  const globals = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown };
  let panicMessage = "";
  globals.PRISMA_WASM_PANIC_REGISTRY ??= {
    set_message: (message: string) => {
      panicMessage = `RuntimeError: ${message}`;
    },
    get: () => panicMessage,
  };
  const require = createRequire(pathToFileURL(path.join(projectRoot, "package.json")));
  const wasmPath = path.join(path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg")), "schema_engine_bg.wasm");
  const instance = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(wasmPath)), {
    "./schema_engine_bg.js": wasmBindings as unknown as WebAssembly.ModuleImports,
  });
  wasmBindings.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  isWasmLoaded = true;
}

/** adapter-pg cannot decode pg's internal "char" type (OID 18) that introspection reads: present it as text. */
class CharAsTextClient extends pg.Client {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    const remap = (result: pg.QueryResult | undefined) => {
      for (const field of result?.fields ?? []) if (field.dataTypeID === 18) field.dataTypeID = 25;
      return result;
    };
    const callback = typeof args[args.length - 1] === "function" ? args.pop() : undefined;
    if (callback) return super.query(...(args as [string]), (error: Error, result: pg.QueryResult) => callback(error, error ? result : remap(result)));
    const pending = super.query(...(args as [string]));
    return pending && typeof pending.then === "function" ? pending.then(remap) : pending;
  }
}

/** adapter-pg splits scripts on ";" (breaking $$ bodies): send the whole script as one simple query. */
function withWholeScript(adapter: SqlDriverAdapter, pool: pg.Pool): SqlDriverAdapter {
  adapter.executeScript = async (script: string) => {
    await pool.query(script);
  };
  return adapter;
}

/** pglite-prisma-adapter forgets to await exec(): a failed migration would be recorded as applied. */
function withAwaitedScript(adapter: SqlDriverAdapter, client: PGlite): SqlDriverAdapter {
  adapter.executeScript = async (script: string) => {
    await client.exec(script);
  };
  return adapter;
}

/** The engine never disposes what it connected: the factories remember their adapters so closing frees them. */
interface ClosableFactory extends SqlMigrationAwareDriverAdapterFactory {
  close(): Promise<void>;
}

class PostgresMigrationFactory implements ClosableFactory {
  readonly provider = "postgres" as const;
  readonly adapterName = "@prisma/adapter-pg";
  private readonly pools: pg.Pool[] = [];
  constructor(private readonly url: string) {}

  async connect() {
    const pool = new pg.Pool({ connectionString: this.url, Client: CharAsTextClient, max: 2 });
    this.pools.push(pool);
    return withWholeScript(await new PrismaPg(pool).connect(), pool);
  }

  /** Ends the pools, and with them the session that holds the migration advisory lock. */
  async close() {
    await Promise.all(this.pools.splice(0).map((pool) => pool.end().catch(() => undefined)));
  }

  /** adapter-pg's own shadow database ignores the URL's database name and drops it before closing: do it here. */
  async connectToShadowDb() {
    const name = `spanlight_shadow_${crypto.randomUUID().replaceAll("-", "")}`;
    const admin = new pg.Client({ connectionString: this.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    const shadowUrl = new URL(this.url);
    shadowUrl.pathname = `/${name}`;
    const pool = new pg.Pool({ connectionString: shadowUrl.toString(), Client: CharAsTextClient, max: 2 });
    const adapter = withWholeScript(await new PrismaPg(pool, { disposeExternalPool: true }).connect(), pool);
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    };
    return adapter;
  }
}

class PGliteMigrationFactory implements ClosableFactory {
  readonly provider = "postgres" as const;
  readonly adapterName = "@prisma/adapter-pglite";
  constructor(private readonly client: PGlite) {}

  async connect() {
    const adapter = withAwaitedScript(await new PrismaPGlite(this.client).connect(), this.client);
    // The PGlite instance belongs to the app, which keeps using it after migrating.
    adapter.dispose = async () => {};
    return adapter;
  }

  async close() {}

  async connectToShadowDb() {
    const shadow = new PGlite();
    const adapter = withAwaitedScript(await new PrismaPGlite(shadow).connect(), shadow);
    adapter.dispose = async () => {
      await shadow.close();
    };
    return adapter;
  }
}

/** Starts the WASM schema engine against the given connection. Always call close() when done. */
export async function createSchemaEngine(connection: DatabaseConnection, log: (message: string) => void = () => {}) {
  loadWasm();
  const factory =
    connection.kind === "postgres" ? new PostgresMigrationFactory(connection.url) : new PGliteMigrationFactory(connection.pglite);
  const schemaFiles = [{ path: schemaPath, content: fs.readFileSync(schemaPath, "utf8") }];
  const engine = await wasmBindings.SchemaEngine.new(
    { datamodels: schemaFiles.map((file) => [file.path, file.content]) } as never,
    log,
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  const close = async () => {
    engine.free();
    await factory.close();
  };
  return { engine, schemaFiles, close };
}

/** The migrations folder in the shape the engine expects (what `prisma migrate` would read). */
export function readMigrationList(directory = migrationsDir): MigrationList {
  const names = fs.existsSync(directory)
    ? fs.readdirSync(directory, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort()
    : [];
  const lockPath = path.join(directory, "migration_lock.toml");
  return {
    baseDir: path.resolve(directory),
    lockfile: { path: "migration_lock.toml", content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: names.map((name) => {
      const sqlPath = path.join(directory, name, "migration.sql");
      return {
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: fs.existsSync(sqlPath)
            ? { tag: "ok" as const, value: fs.readFileSync(sqlPath, "utf8") }
            : { tag: "error" as const, value: "missing migration.sql" },
        },
      };
    }),
  } as MigrationList;
}
