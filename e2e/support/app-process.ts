// The built app as a child process of a test, in its own process group, so the test can kill it (and anything it
// started) the hard way, SIGKILL, and start it again on the same database. Needs a finished `next build` (.next),
// which the Playwright web server (e2e/serve-fresh.mjs → scripts/start.mjs) makes before any spec runs.
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import net from "node:net";
import path from "node:path";

export interface AppProcess {
  port: number;
  child: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  hasExited(): boolean;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no free port"))));
    });
  });
}

function answers200(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get({ host: "127.0.0.1", port, path: "/sign-in", agent: false, timeout: 5000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(false));
  });
}

/** Starts `next start` (as scripts/start.mjs does, minus the build) and resolves once GET /sign-in answers 200. */
export async function startApp({ root, env, timeoutMs = 60_000 }: { root: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<AppProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "start", "--port", String(port)], {
    cwd: root,
    env: { ...env, PORT: String(port), NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group: killApp reaches every process it started
  });
  const chunks: string[] = [];
  child.stdout!.on("data", (chunk: Buffer) => chunks.push(chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => chunks.push(chunk.toString()));
  let exited = false;
  const app: AppProcess = {
    port,
    child,
    output: () => chunks.join(""),
    hasExited: () => exited,
    exited: new Promise((resolve) =>
      child.once("exit", (code, signal) => {
        exited = true;
        resolve({ code, signal });
      }),
    ),
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`the app exited while starting:\n${app.output()}`);
    if (await answers200(port)) return app;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await killApp(app, "SIGKILL");
  throw new Error(`the app did not answer within ${timeoutMs} ms:\n${app.output()}`);
}

/** Sends `signal` to the app's whole process group and waits for it to exit (SIGKILL after 10 s of SIGTERM). */
export async function killApp(app: AppProcess, signal: "SIGKILL" | "SIGTERM"): Promise<void> {
  if (app.hasExited() || !app.child.pid) return;
  const send = (which: NodeJS.Signals) => {
    try {
      process.kill(-app.child.pid!, which);
    } catch {
      app.child.kill(which);
    }
  };
  send(signal);
  const done = await Promise.race([app.exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000))]);
  if (!done) {
    send("SIGKILL");
    await app.exited;
  }
}
