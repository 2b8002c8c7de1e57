// npm start – build the app when the sources changed since the last build, then serve it on PORT (default 3000).
// The server applies pending migrations and seeds the demo project itself (instrumentation.ts).
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const stampFile = path.join(root, ".next", "spanlight-source-stamp");
const sourceRoots = ["app", "components", "lib", "public", "prisma/schema.prisma", "instrumentation.ts", "next.config.js", "package-lock.json", "tsconfig.json", "tsconfig.build.json"];

function listFiles(entry) {
  const full = path.join(root, entry);
  if (!fs.existsSync(full)) return [];
  if (!fs.statSync(full).isDirectory()) return [entry];
  if (entry === path.join("lib", "generated")) return [];
  return fs.readdirSync(full).flatMap((name) => listFiles(path.join(entry, name)));
}

function sourceStamp() {
  const hash = createHash("sha256");
  for (const file of sourceRoots.flatMap(listFiles).sort()) {
    const stat = fs.statSync(path.join(root, file));
    hash.update(`${file}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
  return hash.digest("hex");
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: process.env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const stamp = sourceStamp();
const isBuilt = fs.existsSync(path.join(root, ".next", "BUILD_ID")) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, "utf8") === stamp;
if (!isBuilt) {
  console.log("[spanlight] building the app (first start or sources changed)…");
  run(process.execPath, [path.join(root, "scripts", "prisma-generate.mjs")]);
  run(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"]);
  fs.writeFileSync(stampFile, stamp);
}

const port = process.env.PORT || "3000";
const server = spawn(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "start", "--port", port], {
  cwd: root,
  stdio: "inherit",
  env: process.env,
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
