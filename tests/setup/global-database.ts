import fs from "node:fs";
import type { TestProject } from "vitest/node";
import { closeConnection, getConnection } from "@/lib/server/db/connection";
import { applyPendingMigrations } from "@/lib/server/db/migrate";
import { adminQuery, tempDir, uniqueName, withDatabase, type TemplateDatabase } from "./test-database";

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabase: TemplateDatabase;
  }
}

/** Migrates one template database per run; each test file then starts from a copy of it. */
export default async function setup(project: TestProject) {
  const baseUrl = process.env.DATABASE_URL;
  let template: TemplateDatabase;
  if (baseUrl) {
    const name = uniqueName("spanlight_test_template");
    await adminQuery(baseUrl, `CREATE DATABASE "${name}"`);
    process.env.DATABASE_URL = withDatabase(baseUrl, name);
    template = { kind: "postgres", location: name };
  } else {
    const dir = tempDir("spanlight-test-template");
    process.env.SPANLIGHT_DATA_DIR = dir;
    template = { kind: "pglite", location: dir };
  }
  await applyPendingMigrations(getConnection());
  await closeConnection();
  if (baseUrl) process.env.DATABASE_URL = baseUrl;
  project.provide("templateDatabase", template);

  return async () => {
    if (template.kind === "postgres" && baseUrl) await adminQuery(baseUrl, `DROP DATABASE IF EXISTS "${template.location}" WITH (FORCE)`);
    else fs.rmSync(template.location, { recursive: true, force: true });
  };
}
