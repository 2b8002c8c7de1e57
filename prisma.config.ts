import { defineConfig } from "prisma/config";

// Only `prisma generate` uses this file: migrations run through Prisma's WASM schema engine
// (scripts/db-migrate.ts), which needs no engine binary download.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
