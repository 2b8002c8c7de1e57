// Builds the app (prisma generate + next build) when its sources changed since the last build, for `npm start`
// and `npm run bench`: a stamp of every source file's path, size and mtime is kept next to the build.
import { spawnSync } from "node:child_process";
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

function run(args) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit", env: process.env });
  if (result.status !== 0) throw new Error(`build step failed (exit ${result.status}): node ${args.join(" ")}`);
}

/** Builds unless the last build is of exactly these sources; `log` hears when it does. */
export function buildIfStale(log = (message) => console.log(message)) {
  const stamp = sourceStamp();
  const isBuilt = fs.existsSync(path.join(root, ".next", "BUILD_ID")) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, "utf8") === stamp;
  if (isBuilt) return;
  log("[spanlight] building the app (first start or sources changed)…");
  run([path.join(root, "scripts", "prisma-generate.mjs")]);
  run([path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"]);
  fs.writeFileSync(stampFile, stamp);
}
