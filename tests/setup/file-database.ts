import fs from "node:fs";
import path from "node:path";
import { afterAll, inject } from "vitest";
import { closeConnection } from "@/lib/server/db/connection";
import { adminQuery, tempDir, uniqueName, withDatabase } from "./test-database";

// Runs before each integration test file: point the app's database at a fresh copy of the migrated template.
const template = inject("templateDatabase");
const baseUrl = process.env.DATABASE_URL;
let cleanup: () => Promise<void>;

if (template.kind === "postgres" && baseUrl) {
  const name = uniqueName("spanlight_test");
  for (let attempt = 0; ; attempt++) {
    try {
      await adminQuery(baseUrl, `CREATE DATABASE "${name}" TEMPLATE "${template.location}"`);
      break;
    } catch (error) {
      // Two files copying the template at the same instant: PostgreSQL refuses the second; wait and retry.
      if (attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
    }
  }
  process.env.DATABASE_URL = withDatabase(baseUrl, name);
  cleanup = () => adminQuery(baseUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
} else {
  const dir = tempDir("spanlight-test");
  fs.cpSync(path.join(template.location), dir, { recursive: true });
  delete process.env.DATABASE_URL;
  process.env.SPANLIGHT_DATA_DIR = dir;
  cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
}
process.env.SPANLIGHT_DEMO = "0";

afterAll(async () => {
  await closeConnection();
  await cleanup();
});
