import { crc32, deflateRawSync } from "node:zlib";
import { strToU8, zipSync } from "fflate";
import { NextRequest } from "next/server";
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { GET as getArticleRoute } from "@/app/api/articles/[id]/route";
import { POST as login } from "@/app/api/auth/login/route";
import { POST as logout } from "@/app/api/auth/logout/route";
import { GET as me } from "@/app/api/auth/me/route";
import { POST as changePasswordRoute } from "@/app/api/auth/password/route";
import { POST as addArticleRoute } from "@/app/api/projects/[id]/articles/route";
import { POST as importRoute } from "@/app/api/projects/[id]/import/route";
import { POST as createProjectRoute } from "@/app/api/projects/route";
import { POST as createTokenRoute } from "@/app/api/tokens/route";
import { db } from "@/lib/db";
import { accountKey, loginWindowSeconds, maxAttemptsPerAccount, maxAttemptsPerAddress } from "@/lib/server/auth/login-throttle";
import type { DatasetImportResult } from "@/lib/validation/dataset-import";
import { contentSecurityPolicy, proxy } from "@/proxy";
import { callRoute, expectApiError, sessionCookieFrom, type ApiResponse, type CallOptions } from "../helpers/api";
import { buildProject, buildUser, testPassword, type TestUser } from "../helpers/factories";

/*
 * The security guarantees of docs/security.md, each proven through the real route handlers: CSRF, sign-in limits,
 * session rotation and invalidation, cookie flags, the Content-Security-Policy of proxy.ts, imported HTML kept as
 * text, and the zip guards of the dataset import.
 */

const wrongPassword = "definitely not the password";

function signIn(email: string, password: string, options: CallOptions = {}) {
  return callRoute(login, "POST", "/api/auth/login", { ...options, json: { email, password } });
}

async function isSignedIn(cookie: string): Promise<boolean> {
  const response = await callRoute(me, "GET", "/api/auth/me", { as: cookie });
  if (response.status !== 200 && response.status !== 401) throw new Error(`unexpected ${response.status}`);
  return response.status === 200;
}

function changePassword(as: CallOptions["as"], json: unknown, headers?: Record<string, string>) {
  return callRoute(changePasswordRoute, "POST", "/api/auth/password", { as, json, headers });
}

async function createToken(user: TestUser): Promise<string> {
  const response = await callRoute(createTokenRoute, "POST", "/api/tokens", { json: { name: "script" }, as: user.cookie });
  expect(response.status).toBe(201);
  return response.body.token;
}

/** Runs `body` with SPANLIGHT_TRUST_PROXY set, restoring it afterwards. */
async function withTrustedProxy<T>(value: string, body: () => Promise<T>): Promise<T> {
  const before = process.env.SPANLIGHT_TRUST_PROXY;
  process.env.SPANLIGHT_TRUST_PROXY = value;
  try {
    return await body();
  } finally {
    if (before === undefined) delete process.env.SPANLIGHT_TRUST_PROXY;
    else process.env.SPANLIGHT_TRUST_PROXY = before;
  }
}

function expectRateLimited(response: ApiResponse, scope: RegExp = /for this account/) {
  const error = expectApiError(response, 429);
  expect(error.code).toBe("too_many_requests");
  expect(error.message).toMatch(scope);
  expect(error.message).toMatch(/^Too many failed sign-in attempts .+\. Try again in \d+ minutes?\.$/);
  const retryAfter = Number(response.headers.get("retry-after"));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(loginWindowSeconds);
  expect(error.message).toContain(`Try again in ${Math.ceil(retryAfter / 60)} minute`);
  expect(response.headers.get("set-cookie")).toBeNull();
}

describe("CSRF: cookie-authenticated writes must come from the app's own origin", () => {
  test("a cross-origin POST carrying a valid session cookie is 403 and creates nothing", async () => {
    const user = await buildUser();
    const before = await db.project.count();
    const response = await callRoute(createProjectRoute, "POST", "/api/projects", {
      json: { name: "Planted" },
      headers: { origin: "https://evil.example", host: "localhost" },
      as: user.cookie,
    });
    expect(expectApiError(response, 403).code).toBe("forbidden");
    expect(await db.project.count()).toBe(before);
  });

  test("a cross-site form post without Origin (Sec-Fetch-Site: cross-site) is 403 too", async () => {
    const user = await buildUser();
    const response = await callRoute(createProjectRoute, "POST", "/api/projects", { json: { name: "Planted" }, headers: { "sec-fetch-site": "cross-site" }, as: user.cookie });
    expectApiError(response, 403);
  });

  test("a same-origin POST with the cookie is accepted", async () => {
    const user = await buildUser();
    const response = await callRoute(createProjectRoute, "POST", "/api/projects", {
      json: { name: "Mine" },
      headers: { origin: "http://localhost", host: "localhost", "sec-fetch-site": "same-origin" },
      as: user.cookie,
    });
    expect(response.status).toBe(201);
  });

  test("a script with a bearer token and no Origin is accepted", async () => {
    const user = await buildUser();
    const token = await createToken(user);
    const response = await callRoute(createProjectRoute, "POST", "/api/projects", { json: { name: "From a script" }, as: { token } });
    expect(response.status).toBe(201);
  });
});

describe("sign-in rate limiting (state in the LoginThrottle table)", () => {
  test(`${maxAttemptsPerAccount} failures are 401; the next attempt is 429 with Retry-After, even with the right password`, async () => {
    const user = await buildUser();
    for (let attempt = 1; attempt <= maxAttemptsPerAccount; attempt++) {
      expect(expectApiError(await signIn(user.email, wrongPassword), 401).code).toBe("invalid_credentials");
    }
    expectRateLimited(await signIn(user.email, wrongPassword));
    expectRateLimited(await signIn(user.email.toUpperCase(), testPassword));
    // The count lives in the database, not in this process.
    const row = await db.loginThrottle.findUniqueOrThrow({ where: { key: accountKey(user.email) } });
    expect(row.attempts).toBeGreaterThan(maxAttemptsPerAccount);
  });

  test("another account is unaffected", async () => {
    const victim = await buildUser();
    const other = await buildUser();
    for (let attempt = 0; attempt <= maxAttemptsPerAccount; attempt++) await signIn(victim.email, wrongPassword);
    expectRateLimited(await signIn(victim.email, testPassword));
    expect((await signIn(other.email, testPassword)).status).toBe(200);
  });

  test("a success clears the account's count", async () => {
    const user = await buildUser();
    for (let attempt = 1; attempt < maxAttemptsPerAccount; attempt++) expectApiError(await signIn(user.email, wrongPassword), 401);
    expect((await signIn(user.email, testPassword)).status).toBe(200);
    expect(await db.loginThrottle.findUnique({ where: { key: accountKey(user.email) } })).toBeNull();
    for (let attempt = 1; attempt <= maxAttemptsPerAccount; attempt++) expectApiError(await signIn(user.email, wrongPassword), 401);
    expectRateLimited(await signIn(user.email, wrongPassword));
  });

  test("once the window has passed, signing in works again", async () => {
    const user = await buildUser();
    for (let attempt = 0; attempt <= maxAttemptsPerAccount; attempt++) await signIn(user.email, wrongPassword);
    expectRateLimited(await signIn(user.email, testPassword));
    await db.$executeRaw`UPDATE "LoginThrottle" SET "windowStart" = "windowStart" - interval '16 minutes' WHERE "key" = ${accountKey(user.email)}`;
    expect((await signIn(user.email, testPassword)).status).toBe(200);
  });

  test("an unknown email is limited the same way (a 429 does not reveal who has an account)", async () => {
    const email = `nobody-${Date.now()}@example.org`;
    for (let attempt = 1; attempt <= maxAttemptsPerAccount; attempt++) expectApiError(await signIn(email, wrongPassword), 401);
    expectRateLimited(await signIn(email, wrongPassword));
  });

  test("parallel guesses cannot slip past the limit: exactly the limit is checked", async () => {
    const user = await buildUser();
    const responses = await Promise.all(Array.from({ length: maxAttemptsPerAccount + 5 }, () => signIn(user.email, wrongPassword)));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(maxAttemptsPerAccount);
    expect(statuses.filter((status) => status === 429)).toHaveLength(5);
  });

  test("per client address behind a trusted proxy: the proxy's X-Forwarded-For entry counts, what the client wrote does not", async () => {
    await withTrustedProxy("1", async () => {
      const users = await Promise.all(Array.from({ length: Math.ceil(maxAttemptsPerAddress / maxAttemptsPerAccount) + 1 }, () => buildUser()));
      let failures = 0;
      // Spread over several accounts so that no account reaches its own limit; the client varies its own entry.
      for (const user of users) {
        for (let attempt = 0; attempt < maxAttemptsPerAccount - 1 && failures < maxAttemptsPerAddress; attempt++, failures++) {
          const response = await signIn(user.email, wrongPassword, { headers: { "x-forwarded-for": `10.0.0.${failures}, 203.0.113.7` } });
          expectApiError(response, 401);
        }
      }
      const last = users[users.length - 1]!;
      expectRateLimited(await signIn(last.email, testPassword, { headers: { "x-forwarded-for": "203.0.113.7" } }), /from your network/);
      expect((await signIn(last.email, testPassword, { headers: { "x-forwarded-for": "198.51.100.9" } })).status).toBe(200);
    });
  });

  test("without SPANLIGHT_TRUST_PROXY, X-Forwarded-For is ignored (no address is counted)", async () => {
    const user = await buildUser();
    expectApiError(await signIn(user.email, wrongPassword, { headers: { "x-forwarded-for": "192.0.2.44" } }), 401);
    expect(await db.loginThrottle.findUnique({ where: { key: "ip:192.0.2.44" } })).toBeNull();
  });

  test("the current password of a password change counts against the same limit", async () => {
    const user = await buildUser();
    for (let attempt = 1; attempt <= maxAttemptsPerAccount; attempt++) {
      expectApiError(await changePassword(user.cookie, { currentPassword: wrongPassword, newPassword: "a brand new password" }), 422);
    }
    expectRateLimited(await changePassword(user.cookie, { currentPassword: testPassword, newPassword: "a brand new password" }));
    expectRateLimited(await signIn(user.email, testPassword));
  });
});

describe("sessions", () => {
  test("signing in issues a new session id and deletes the one the browser came with (no fixation)", async () => {
    const user = await buildUser();
    const planted = (await buildUser()).cookie; // a session someone else could have planted in this browser
    const response = await signIn(user.email, testPassword, { as: planted });
    const fresh = sessionCookieFrom(response);
    expect(fresh).not.toBe(planted);
    expect(await isSignedIn(planted)).toBe(false);
    expect(await isSignedIn(fresh)).toBe(true);
    expect(await isSignedIn(user.cookie)).toBe(true); // other devices stay signed in
  });

  test("logout deletes the session server-side: the old cookie then gets 401", async () => {
    const user = await buildUser();
    const before = await db.session.count({ where: { userId: user.id } });
    expect((await callRoute(logout, "POST", "/api/auth/logout", { as: user.cookie })).status).toBe(200);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(before - 1);
    expect(await isSignedIn(user.cookie)).toBe(false);
  });

  test("a password change ends every session, re-issues the caller's, keeps API tokens by default", async () => {
    const user = await buildUser();
    const otherDevice = sessionCookieFrom(await signIn(user.email, testPassword));
    const token = await createToken(user);
    const response = await changePassword(user.cookie, { currentPassword: testPassword, newPassword: "a brand new password" });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ user: { id: user.id, email: user.email, name: user.name }, endedSessions: 2, revokedApiTokens: 0 });
    const reissued = sessionCookieFrom(response);
    expect(reissued).not.toBe(user.cookie);
    expect(await isSignedIn(user.cookie)).toBe(false);
    expect(await isSignedIn(otherDevice)).toBe(false);
    expect(await isSignedIn(reissued)).toBe(true);
    expect((await callRoute(me, "GET", "/api/auth/me", { as: { token } })).status).toBe(200);
    expectApiError(await signIn(user.email, testPassword), 401);
    expect((await signIn(user.email, "a brand new password")).status).toBe(200);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { objectId: user.id, action: "user.password_change" } });
    expect(audit.after).toEqual({ endedSessions: 2, revokedApiTokens: 0 });
  });

  test("revokeApiTokens: true revokes the account's API tokens too", async () => {
    const user = await buildUser();
    const token = await createToken(user);
    const response = await changePassword(user.cookie, { currentPassword: testPassword, newPassword: "a brand new password", revokeApiTokens: true });
    expect(response.body.revokedApiTokens).toBe(1);
    expectApiError(await callRoute(me, "GET", "/api/auth/me", { as: { token } }), 401);
  });

  test("through an API token: every session ends and no cookie is set", async () => {
    const user = await buildUser();
    const token = await createToken(user);
    const response = await changePassword({ token }, { currentPassword: testPassword, newPassword: "a brand new password" });
    expect(response.status).toBe(200);
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(await isSignedIn(user.cookie)).toBe(false);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
  });

  test("a wrong current password, a weak or unchanged new one are 422 and change nothing", async () => {
    const user = await buildUser();
    const hash = async () => (await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } })).passwordHash;
    const before = await hash();
    const wrong = expectApiError(await changePassword(user.cookie, { currentPassword: wrongPassword, newPassword: "a brand new password" }), 422);
    expect(wrong.message).toMatch(/current password is not right/);
    expect(expectApiError(await changePassword(user.cookie, { currentPassword: testPassword, newPassword: "short" }), 422).message).toContain("newPassword");
    expect(expectApiError(await changePassword(user.cookie, { currentPassword: testPassword, newPassword: testPassword }), 422).message).toMatch(/differs from the current/);
    expect(await hash()).toBe(before);
    expect(await isSignedIn(user.cookie)).toBe(true);
  });

  test("signed out is 401; cross-origin is 403", async () => {
    const user = await buildUser();
    expectApiError(await changePassword(null, { currentPassword: testPassword, newPassword: "a brand new password" }), 401);
    expectApiError(await changePassword(user.cookie, { currentPassword: testPassword, newPassword: "a brand new password" }, { origin: "https://evil.example", host: "localhost" }), 403);
    expect(await isSignedIn(user.cookie)).toBe(true);
  });
});

describe("session cookie flags", () => {
  const cookieOf = (response: ApiResponse) => response.headers.get("set-cookie") ?? "";
  const flag = (name: string) => new RegExp(`;\\s*${name}(;|$)`, "i");

  test("HttpOnly, SameSite=Lax, Path=/ always; not Secure over plain http", async () => {
    const user = await buildUser();
    const cookies = [
      cookieOf(await signIn(user.email, testPassword)),
      cookieOf(await callRoute(logout, "POST", "/api/auth/logout", { as: user.cookie })),
      cookieOf(await changePassword(sessionCookieFrom(await signIn(user.email, testPassword)), { currentPassword: testPassword, newPassword: "a brand new password" })),
    ];
    for (const cookie of cookies) {
      expect(cookie).toMatch(/^spanlight_session=/);
      expect(cookie).toMatch(flag("HttpOnly"));
      expect(cookie).toMatch(flag("SameSite=Lax"));
      expect(cookie).toMatch(flag("Path=/"));
      expect(cookie).not.toMatch(/Secure/i);
    }
    expect(cookies[1]).toMatch(flag("Max-Age=0"));
  });

  test("Secure when the request came over https", async () => {
    const user = await buildUser();
    const request = new Request("https://spanlight.example/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: user.email, password: testPassword }),
    });
    const response = await login(request, { params: Promise.resolve({}) });
    expect(response.headers.get("set-cookie")).toMatch(flag("Secure"));
  });

  test("X-Forwarded-Proto: https makes it Secure only from a trusted proxy", async () => {
    const user = await buildUser();
    const headers = { "x-forwarded-proto": "https" };
    expect(cookieOf(await signIn(user.email, testPassword, { headers }))).not.toMatch(/Secure/i);
    await withTrustedProxy("1", async () => {
      expect(cookieOf(await signIn(user.email, testPassword, { headers }))).toMatch(flag("Secure"));
      expect(cookieOf(await callRoute(logout, "POST", "/api/auth/logout", { as: user.cookie, headers }))).toMatch(flag("Secure"));
    });
  });
});

describe("Content-Security-Policy (proxy.ts)", () => {
  const directives = (policy: string) => new Map(policy.split(";").map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));

  test("a page gets a policy with a fresh nonce, no inline script allowed; Next.js gets the same policy to read the nonce", () => {
    const first = proxy(new NextRequest("http://localhost/sign-in"));
    const second = proxy(new NextRequest("http://localhost/projects"));
    const policy = first.headers.get("content-security-policy")!;
    const scripts = directives(policy).get("script-src")!;
    const nonce = scripts.find((value) => value.startsWith("'nonce-"))!;
    expect(nonce).toMatch(/^'nonce-[A-Za-z0-9+/]{22}==?'$/);
    expect(scripts).toEqual(["'self'", nonce, "'strict-dynamic'"]);
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(policy).not.toContain("'unsafe-eval'");
    expect(second.headers.get("content-security-policy")).not.toContain(nonce);
    // NextResponse.next({request: {headers}}) hands the request headers on to the renderer this way.
    expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(policy);
    expect(directives(policy).get("frame-ancestors")).toEqual(["'none'"]);
    expect(directives(policy).get("object-src")).toEqual(["'none'"]);
    expect(directives(policy).get("base-uri")).toEqual(["'self'"]);
    expect(directives(policy).get("form-action")).toEqual(["'self'"]);
  });

  test("'unsafe-eval' only in development", () => {
    expect(contentSecurityPolicy("abc", true)).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic' 'unsafe-eval';");
    expect(contentSecurityPolicy("abc", false)).not.toContain("unsafe-eval");
  });
});

describe("imported HTML is stored and served as plain text", () => {
  test("scripts, handlers and markup are dropped; markup-looking text stays literal text", async () => {
    const owner = await buildUser();
    const project = await buildProject(owner);
    const html = `<!doctype html><html><head><title>Hostile page</title><script>window.pwned = 1</script></head><body>
      <article><h1>Hostile page</h1>
      <p>Paris said &lt;script&gt;alert(1)&lt;/script&gt; is just text here, and so is &lt;b&gt;.</p>
      <p>An <img src="x" onerror="window.pwned = 2">image and a <a href="javascript:window.pwned = 3">link</a> follow.</p>
      <iframe src="https://evil.example"></iframe><style>body { display: none }</style>
      <p onclick="window.pwned = 4">Ordinary closing paragraph of the article, long enough to be its text.</p></article>
    </body></html>`;
    const form = new FormData();
    form.append("file", new File([html], "hostile.html"));
    const response = await callRoute(addArticleRoute, "POST", `/api/projects/${project.id}/articles`, { params: { id: project.id }, body: form, as: owner.cookie });
    expect(response.status).toBe(201);
    const id = response.body.articles[0].id;
    const article = await callRoute(getArticleRoute, "GET", `/api/articles/${id}`, { params: { id }, as: owner.cookie });
    const text: string = article.body.text;
    expect(text).toContain("Paris said <script>alert(1)</script> is just text here, and so is <b>.");
    expect(text).toContain("An image and a link follow.");
    expect(text).not.toMatch(/pwned|onerror|onclick|javascript:|<img|<iframe|display: none/);
    // Served as JSON, never as HTML: the reader draws it as text nodes (e2e/security.spec.ts checks that in a browser).
    expect(article.headers.get("content-type")).toMatch(/^application\/json/);
  });
});

// ---------- zip guards of POST /api/projects/:id/import ----------

interface ZipEntry {
  name: string;
  /** The real content (deflated here). */
  content: Uint8Array;
  /** The uncompressed size the zip claims (default: the true one). */
  declaredSize?: number;
}

/** A zip written byte by byte, so that entry names and sizes can be anything an attacker writes. */
function buildZip(entries: ZipEntry[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, "utf8");
    const data = deflateRawSync(entry.content, { level: 9 });
    const crc = crc32(entry.content);
    const size = entry.declaredSize ?? entry.content.byteLength;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

describe("dataset import zip guards", () => {
  let owner: TestUser;
  let projectId: string;
  beforeAll(async () => {
    owner = await buildUser();
    projectId = (await buildProject(owner)).id;
  });
  afterEach(async () => {
    // Every guard refuses the whole file: nothing of it may have been stored.
    expect(await db.article.count({ where: { projectId } })).toBe(0);
  });

  function importFile(name: string, content: Uint8Array | string) {
    const form = new FormData();
    form.append("file", new File([typeof content === "string" ? content : new Uint8Array(content)], name));
    return callRoute<DatasetImportResult & { error?: { message: string } }>(importRoute, "POST", `/api/projects/${projectId}/import`, { params: { id: projectId }, body: form, as: owner.cookie });
  }

  test.each([
    ["../evil.txt", "climbs out of the archive"],
    ["docs/../../evil.txt", "climbs out of the archive"],
    ["/etc/evil.txt", "is an absolute path"],
    ["C:/evil.txt", "starts with a drive letter"],
    ["docs\\..\\evil.txt", "contains a backslash"],
  ])("an entry named %j refuses the zip (%s)", async (name, reason) => {
    const bytes = buildZip([
      { name: "a.txt", content: strToU8("Paris is big.") },
      { name, content: strToU8("Paris is big.") },
    ]);
    const response = await importFile("traversal.zip", bytes);
    expect(expectApiError(response, 422).message).toContain(reason);
    expect(response.body.refused).toHaveLength(1);
    expect(response.body.imported).toEqual([]);
  });

  test("more than 5000 entries refuse the zip", async () => {
    const files: Record<string, Uint8Array> = {};
    for (let index = 0; index <= 5000; index++) files[`docs/${index}.txt`] = strToU8("x");
    const response = await importFile("many.zip", zipSync(files, { level: 0 }));
    expect(expectApiError(response, 422).message).toMatch(/more than 5000 entries/);
  });

  test("a zip bomb (210 MB unpacked from a 200 KB zip) is refused from its declared sizes, before inflating", async () => {
    const content = new Uint8Array(70 * 1024 * 1024).fill(0x61);
    const bytes = buildZip(["a.txt", "b.txt", "c.txt"].map((name) => ({ name, content })));
    expect(bytes.byteLength).toBeLessThan(1024 * 1024);
    const response = await importFile("bomb.zip", bytes);
    expect(expectApiError(response, 422).message).toMatch(/unpacks to more than 200 MB/);
  });

  test("an entry that inflates to more than it declares yields at most what it declares", async () => {
    const bytes = buildZip([{ name: "a.txt", content: new Uint8Array(20 * 1024 * 1024).fill(0x61), declaredSize: 1000 }]);
    const response = await importFile("liar.zip", bytes);
    if (response.status === 201) {
      // Imported (truncated to the declared size): not more than 1000 characters were ever unpacked.
      const { articleIds } = response.body.imported[0]!;
      const version = await db.articleVersion.findFirstOrThrow({ where: { articleId: articleIds[0] }, select: { text: true } });
      expect(version.text.length).toBeLessThanOrEqual(1000);
      await db.article.deleteMany({ where: { projectId } });
    } else {
      expectApiError(response, 422);
    }
  });

  test("a .ann line over 1 MB is refused, naming the file and line", async () => {
    const ann = `T1\tLOC 0 5\tParis\n#1\tAnnotatorNotes T1\t${"x".repeat(1024 * 1024 + 1)}\n`;
    const response = await importFile("long-line.zip", zipSync({ "a.txt": strToU8("Paris is big."), "a.ann": strToU8(ann) }));
    expect(expectApiError(response, 422).message).toContain("the line is longer than 1 MB");
    expect(response.body.refused[0]).toMatchObject({ file: "long-line.zip:a.ann", line: 2 });
  });

  test("a .jsonl line over 40 MB is refused, naming the line", async () => {
    const header = JSON.stringify({ type: "header", schema: "spanlight.dataset", schemaVersion: 1 });
    const huge = JSON.stringify({ type: "article", title: "Huge", text: "a".repeat(40 * 1024 * 1024 + 1), text_sha256: "0", annotations: [] });
    const response = await importFile("huge.jsonl", `${header}\n${huge}\n`);
    expect(expectApiError(response, 422).message).toContain("the line is longer than 40 MB");
    expect(response.body.refused[0]).toMatchObject({ file: "huge.jsonl", line: 2 });
  }, 60_000);
});
