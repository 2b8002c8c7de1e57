// A small HTTP/1.1 client for the load bench and the crash test: one keep-alive agent per client (so each virtual
// user holds its own connection, as a browser tab would), its own session cookie, and every answer timed.
// Socket errors and timeouts are answers too (status 0), never exceptions: a load run counts them.
import http from "node:http";
import { performance } from "node:perf_hooks";

const idleSocketMs = 2000;

export interface HttpAnswer {
  /** 0 when no response arrived (refused, reset, timed out). */
  status: number;
  body: string;
  /** From the request's start to the end of the response body (or to the error). */
  ms: number;
  /** The socket error or "timeout", when status is 0. */
  error?: string;
  setCookie: string[];
}

export interface RequestOptions {
  json?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export class HttpClient {
  /** `name=value` of the session cookie, once signed in. */
  cookie: string | undefined;
  private readonly agent: http.Agent;

  constructor(
    readonly port: number,
    readonly host = "127.0.0.1",
  ) {
    // An idle connection is dropped after 2 s, well before the server's keep-alive timeout (5 s): Node's agent keeps
    // idle sockets forever by default, and reusing one the server is closing just then ends in ECONNRESET, which a
    // browser would retry silently but a load run would count as an error of the app.
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 4, timeout: idleSocketMs });
  }

  request(method: string, path: string, { json, headers = {}, timeoutMs = 30_000 }: RequestOptions = {}): Promise<HttpAnswer> {
    const payload = json === undefined ? undefined : JSON.stringify(json);
    const allHeaders: Record<string, string> = { accept: "application/json, text/html", ...headers };
    if (payload !== undefined) {
      allHeaders["content-type"] = "application/json";
      allHeaders["content-length"] = String(Buffer.byteLength(payload));
    }
    if (this.cookie) allHeaders.cookie = this.cookie;
    const started = performance.now();
    return new Promise((resolve) => {
      let settled = false;
      const finish = (answer: Omit<HttpAnswer, "ms">) => {
        if (settled) return;
        settled = true;
        resolve({ ...answer, ms: performance.now() - started });
      };
      const request = http.request({ host: this.host, port: this.port, method, path, headers: allHeaders, agent: this.agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          finish({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), setCookie: response.headers["set-cookie"] ?? [] }),
        );
        response.on("error", (error) => finish({ status: 0, body: "", error: error.message, setCookie: [] }));
        response.on("aborted", () => finish({ status: 0, body: "", error: "response aborted", setCookie: [] }));
      });
      request.setTimeout(timeoutMs, () => {
        finish({ status: 0, body: "", error: "timeout", setCookie: [] });
        request.destroy();
      });
      request.on("error", (error: NodeJS.ErrnoException) => finish({ status: 0, body: "", error: error.code ?? error.message, setCookie: [] }));
      request.end(payload);
    });
  }

  /** request(), and the parsed JSON body when the status is `expected`; throws (with the answer) otherwise. */
  async expect<T>(expected: number | number[], method: string, path: string, json?: unknown): Promise<T> {
    const answer = await this.request(method, path, { json });
    const allowed = Array.isArray(expected) ? expected : [expected];
    if (!allowed.includes(answer.status)) {
      throw new Error(`${method} ${path} answered ${answer.status || answer.error}, expected ${allowed.join(" or ")}: ${answer.body.slice(0, 500)}`);
    }
    return JSON.parse(answer.body) as T;
  }

  /** Signs in (with `signUp`, creates the account first) and keeps the session cookie for every later request. */
  async signIn(email: string, password: string, { signUp = false, name = email }: { signUp?: boolean; name?: string } = {}): Promise<{ id: string }> {
    const answer = await this.request("POST", signUp ? "/api/auth/signup" : "/api/auth/login", {
      json: signUp ? { email, name, password } : { email, password },
    });
    if (answer.status !== (signUp ? 201 : 200)) throw new Error(`sign-${signUp ? "up" : "in"} of ${email} answered ${answer.status || answer.error}: ${answer.body.slice(0, 300)}`);
    const pair = answer.setCookie[0]?.split(";")[0];
    if (!pair?.includes("=")) throw new Error(`sign-in of ${email} set no session cookie`);
    this.cookie = pair;
    return (JSON.parse(answer.body) as { user: { id: string } }).user;
  }

  close(): void {
    this.agent.destroy();
  }
}
