import { createHash } from "node:crypto";
import { afterEach, describe, expect, test } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { POST as logout } from "@/app/api/auth/logout/route";
import { GET as me } from "@/app/api/auth/me/route";
import { POST as signup } from "@/app/api/auth/signup/route";
import { GET as listProjects, POST as createProjectRoute } from "@/app/api/projects/route";
import { DELETE as revokeTokenHandler } from "@/app/api/tokens/[id]/route";
import { GET as listTokens, POST as createToken } from "@/app/api/tokens/route";
import { db } from "@/lib/db";
import { callRoute, expectApiError, sessionCookieFrom, type ApiResponse, type CallOptions } from "../helpers/api";
import { buildUser, testPassword } from "../helpers/factories";

/** tests/helpers/api.ts types `params` as Record<string, string>; the [id] handlers want {id}: same call, narrower type. */

const revokeToken = revokeTokenHandler;

type Handler = Parameters<typeof callRoute>[0];

const secretMarkers = ["$argon2", "passwordHash", "tokenHash"];

/** callRoute, plus: no response of this file ever carries a password hash or a token hash. */
async function call(handler: Handler, method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> {
  const response = await callRoute(handler, method, path, options);
  const everything = JSON.stringify(response.body) + JSON.stringify([...response.headers]);
  for (const marker of secretMarkers) expect(everything, `${method} ${path} leaks ${marker}`).not.toContain(marker);
  return response;
}

function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

let emailCounter = 0;
function freshEmail(prefix = "auth"): string {
  emailCounter += 1;
  return `${prefix}-${Date.now().toString(36)}-${emailCounter}@example.org`;
}

describe("POST /api/auth/login", () => {
  test("sets an HttpOnly, SameSite=Lax session cookie and returns {user} without the password hash", async () => {
    const user = await buildUser();
    const response = await call(login, "POST", "/api/auth/login", { json: { email: user.email, password: testPassword } });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ user: { id: user.id, email: user.email, name: user.name } });
    const setCookie = response.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^spanlight_session=[^;]{20,};/);
    expect(setCookie).toMatch(/;\s*HttpOnly(;|$)/i);
    expect(setCookie).toMatch(/;\s*SameSite=Lax(;|$)/i);
    expect(setCookie).toMatch(/;\s*Path=\/(;|$)/);

    const cookie = sessionCookieFrom(response);
    const whoami = await call(me, "GET", "/api/auth/me", { as: cookie });
    expect(whoami.status).toBe(200);
    expect(whoami.body.user.id).toBe(user.id);
  });

  test("behind a trusted HTTPS proxy (SPANLIGHT_TRUST_PROXY, X-Forwarded-Proto: https) the session cookie is also Secure", async () => {
    const user = await buildUser();
    const trust = process.env.SPANLIGHT_TRUST_PROXY;
    process.env.SPANLIGHT_TRUST_PROXY = "1";
    try {
      const response = await call(login, "POST", "/api/auth/login", {
        json: { email: user.email, password: testPassword },
        headers: { "x-forwarded-proto": "https" },
      });
      expect(response.headers.get("set-cookie")).toMatch(/;\s*Secure(;|$)/);
      const plain = await call(login, "POST", "/api/auth/login", { json: { email: user.email, password: testPassword } });
      expect(plain.headers.get("set-cookie")).not.toMatch(/Secure/);
    } finally {
      if (trust === undefined) delete process.env.SPANLIGHT_TRUST_PROXY;
      else process.env.SPANLIGHT_TRUST_PROXY = trust;
    }
  });

  test("accepts the email in any letter case", async () => {
    const user = await buildUser();
    const response = await call(login, "POST", "/api/auth/login", { json: { email: `  ${user.email.toUpperCase()} `, password: testPassword } });
    expect(response.status).toBe(200);
    expect(response.body.user.id).toBe(user.id);
  });

  test("a wrong password and an unknown email both get 401 with the same message", async () => {
    const user = await buildUser();
    const sessionsBefore = await db.session.count();

    const wrongPassword = await call(login, "POST", "/api/auth/login", { json: { email: user.email, password: "not the password at all" } });
    const unknownEmail = await call(login, "POST", "/api/auth/login", { json: { email: freshEmail("nobody"), password: testPassword } });

    const a = expectApiError(wrongPassword, 401);
    const b = expectApiError(unknownEmail, 401);
    expect(a).toEqual(b);
    expect(wrongPassword.body).toEqual(unknownEmail.body);
    expect(wrongPassword.headers.get("set-cookie")).toBeNull();
    expect(unknownEmail.headers.get("set-cookie")).toBeNull();
    expect(await db.session.count()).toBe(sessionsBefore);
  });

  test("malformed JSON is 400", async () => {
    const response = await call(login, "POST", "/api/auth/login", { body: '{"email": "a@example.org", "password": ', headers: { "content-type": "application/json" } });
    expect(expectApiError(response, 400).code).toBe("invalid_json");
  });

  test("an empty body and a JSON array are 400", async () => {
    expectApiError(await call(login, "POST", "/api/auth/login", { body: "", headers: { "content-type": "application/json" } }), 400);
    expectApiError(await call(login, "POST", "/api/auth/login", { json: ["a@example.org", testPassword] }), 400);
  });

  test("missing fields are 422 and name the field", async () => {
    const noPassword = await call(login, "POST", "/api/auth/login", { json: { email: "someone@example.org" } });
    expect(expectApiError(noPassword, 422).code).toBe("validation_failed");
    expect(noPassword.body.error.message).toContain("password");

    const noEmail = await call(login, "POST", "/api/auth/login", { json: { password: testPassword } });
    expect(expectApiError(noEmail, 422).message).toContain("email");

    expectApiError(await call(login, "POST", "/api/auth/login", { json: {} }), 422);
  });
});

describe("GET /api/auth/me", () => {
  test("with the session cookie returns the user", async () => {
    const user = await buildUser();
    const response = await call(me, "GET", "/api/auth/me", { as: user.cookie });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ user: { id: user.id, email: user.email, name: user.name } });
  });

  test("without a cookie, or with a made-up one, is 401", async () => {
    expect(expectApiError(await call(me, "GET", "/api/auth/me"), 401).code).toBe("unauthenticated");
    expectApiError(await call(me, "GET", "/api/auth/me", { as: "spanlight_session=not-a-real-session" }), 401);
  });

  // APP BUG: lib/server/auth/current-user.ts readCookie() calls decodeURIComponent() unguarded; a cookie value with a
  // broken %-escape throws URIError, which becomes a 500 on every signed-in route and on POST /api/auth/login
  // (signInResponse reads the old cookie to rotate it), so such a browser cannot even sign in again.
  test("a session cookie with broken %-encoding counts as no session: 401 on /api/auth/me, and login still works", async () => {
    const user = await buildUser();
    const broken = "spanlight_session=%E0%A4%A";
    expectApiError(await call(me, "GET", "/api/auth/me", { as: broken }), 401);
    const response = await call(login, "POST", "/api/auth/login", { json: { email: user.email, password: testPassword }, as: broken });
    expect(response.status).toBe(200);
  });
});

describe("sessions", () => {
  test("logout invalidates the session: the old cookie then gets 401", async () => {
    const user = await buildUser();
    expect((await call(me, "GET", "/api/auth/me", { as: user.cookie })).status).toBe(200);

    const response = await call(logout, "POST", "/api/auth/logout", { as: user.cookie });
    expect(response.status).toBe(200);
    expect(response.headers.get("set-cookie")).toMatch(/^spanlight_session=;.*Max-Age=0/i);

    expectApiError(await call(me, "GET", "/api/auth/me", { as: user.cookie }), 401);
    expectApiError(await call(listProjects, "GET", "/api/projects", { as: user.cookie }), 401);
  });

  test("signing in again rotates the session: the cookie sent along with the login no longer works", async () => {
    const user = await buildUser();
    const oldCookie = user.cookie;

    const response = await call(login, "POST", "/api/auth/login", { json: { email: user.email, password: testPassword }, as: oldCookie });
    expect(response.status).toBe(200);
    const newCookie = sessionCookieFrom(response);
    expect(newCookie).not.toBe(oldCookie);

    expectApiError(await call(me, "GET", "/api/auth/me", { as: oldCookie }), 401);
    expect((await call(me, "GET", "/api/auth/me", { as: newCookie })).body.user.id).toBe(user.id);
  });

  test("sessions are stored only as hashes", async () => {
    const user = await buildUser();
    const secret = user.cookie.split("=")[1]!;
    const rows = await db.session.findMany({ where: { userId: user.id }, select: { tokenHash: true } });
    expect(rows.map((row) => row.tokenHash)).toContain(sha256Hex(secret));
    expect(JSON.stringify(rows)).not.toContain(secret);
  });
});

describe("personal API tokens", () => {
  test("POST /api/tokens returns the token once; bearer auth with it works; GET /api/tokens never shows the secret or its hash", async () => {
    const user = await buildUser();
    const created = await call(createToken, "POST", "/api/tokens", { json: { name: "my script" }, as: user.cookie });
    expect(created.status).toBe(201);
    const token: string = created.body.token;
    expect(token).toMatch(/^spl_[A-Za-z0-9_-]{40,}$/);
    expect(created.body).toMatchObject({ id: expect.any(String), name: "my script" });
    expect(token.startsWith(created.body.prefix)).toBe(true);

    const projects = await call(listProjects, "GET", "/api/projects", { as: { token } });
    expect(projects.status).toBe(200);
    expect(projects.body).toEqual({ projects: [] });

    const whoami = await call(me, "GET", "/api/auth/me", { as: { token } });
    expect(whoami.body.user.id).toBe(user.id);

    const listed = await call(listTokens, "GET", "/api/tokens", { as: user.cookie });
    expect(listed.status).toBe(200);
    expect(listed.body.tokens).toHaveLength(1);
    expect(listed.body.tokens[0]).toMatchObject({ id: created.body.id, name: "my script", prefix: created.body.prefix });
    const text = JSON.stringify(listed.body);
    expect(text).not.toContain(token);
    expect(text).not.toContain(sha256Hex(token));
    expect(listed.body.tokens[0]).not.toHaveProperty("token");

    // Listed through a token too: still no secret.
    const listedByToken = await call(listTokens, "GET", "/api/tokens", { as: { token } });
    expect(JSON.stringify(listedByToken.body)).not.toContain(token);
    expect(JSON.stringify(listedByToken.body)).not.toContain(sha256Hex(token));
  });

  test("a revoked token gets 401", async () => {
    const user = await buildUser();
    const created = await call(createToken, "POST", "/api/tokens", { json: { name: "to revoke" }, as: user.cookie });
    const token: string = created.body.token;
    expect((await call(listProjects, "GET", "/api/projects", { as: { token } })).status).toBe(200);

    const revoked = await call(revokeToken, "DELETE", `/api/tokens/${created.body.id}`, { params: { id: created.body.id }, as: user.cookie });
    expect(revoked.status).toBe(200);

    expectApiError(await call(listProjects, "GET", "/api/projects", { as: { token } }), 401);
    expectApiError(await call(me, "GET", "/api/auth/me", { as: { token } }), 401);
    expect((await call(listTokens, "GET", "/api/tokens", { as: user.cookie })).body.tokens).toEqual([]);
  });

  test("another user cannot revoke my token (404) and it keeps working", async () => {
    const owner = await buildUser();
    const other = await buildUser();
    const created = await call(createToken, "POST", "/api/tokens", { json: { name: "mine" }, as: owner.cookie });
    expectApiError(await call(revokeToken, "DELETE", `/api/tokens/${created.body.id}`, { params: { id: created.body.id }, as: other.cookie }), 404);
    expect((await call(listProjects, "GET", "/api/projects", { as: { token: created.body.token } })).status).toBe(200);
  });

  test("a made-up bearer token gets 401", async () => {
    expectApiError(await call(listProjects, "GET", "/api/projects", { as: { token: "spl_made-up-token-that-does-not-exist" } }), 401);
    expectApiError(await call(listProjects, "GET", "/api/projects", { as: { token: "not-even-prefixed" } }), 401);
  });

  test("a token without a name is 422 and creates nothing", async () => {
    const user = await buildUser();
    const before = await db.apiToken.count();
    expectApiError(await call(createToken, "POST", "/api/tokens", { json: { name: "   " }, as: user.cookie }), 422);
    expect(await db.apiToken.count()).toBe(before);
  });
});

describe("POST /api/auth/signup", () => {
  const signupEnv = process.env.SPANLIGHT_SIGNUP;
  afterEach(() => {
    if (signupEnv === undefined) delete process.env.SPANLIGHT_SIGNUP;
    else process.env.SPANLIGHT_SIGNUP = signupEnv;
  });

  test("is open by default: 201, a session cookie and the new user", async () => {
    delete process.env.SPANLIGHT_SIGNUP;
    const email = freshEmail("signup");
    const response = await call(signup, "POST", "/api/auth/signup", { json: { email, name: "New Person", password: "a long enough password" } });
    expect(response.status).toBe(201);
    expect(response.body.user).toEqual({ id: expect.any(String), email, name: "New Person" });
    const cookie = sessionCookieFrom(response);
    expect((await call(me, "GET", "/api/auth/me", { as: cookie })).body.user.email).toBe(email);

    // ...and the new account can sign in with its password.
    const again = await call(login, "POST", "/api/auth/login", { json: { email, password: "a long enough password" } });
    expect(again.status).toBe(200);
  });

  test('is refused with 403 when SPANLIGHT_SIGNUP="closed", creating nothing', async () => {
    process.env.SPANLIGHT_SIGNUP = "closed";
    const before = await db.user.count();
    const email = freshEmail("closed");
    const response = await call(signup, "POST", "/api/auth/signup", { json: { email, name: "Closed Out", password: "a long enough password" } });
    expect(expectApiError(response, 403).code).toBe("signup_closed");
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(await db.user.count()).toBe(before);
    expect(await db.user.findUnique({ where: { email } })).toBeNull();
  });

  test("a duplicate email is 409 (in any letter case)", async () => {
    const user = await buildUser();
    const before = await db.user.count();
    const response = await call(signup, "POST", "/api/auth/signup", { json: { email: user.email.toUpperCase(), name: "Copy Cat", password: "a long enough password" } });
    expect(expectApiError(response, 409).code).toBe("already_exists");
    expect(await db.user.count()).toBe(before);
    // The existing account's password still works.
    expect((await call(login, "POST", "/api/auth/login", { json: { email: user.email, password: testPassword } })).status).toBe(200);
  });

  test("a short password is 422", async () => {
    const before = await db.user.count();
    const response = await call(signup, "POST", "/api/auth/signup", { json: { email: freshEmail("short"), name: "Short Pw", password: "short" } });
    expect(expectApiError(response, 422).message).toContain("password");
    expect(await db.user.count()).toBe(before);
  });

  test("an invalid email and a missing name are 422", async () => {
    expectApiError(await call(signup, "POST", "/api/auth/signup", { json: { email: "not-an-email", name: "X", password: "a long enough password" } }), 422);
    expectApiError(await call(signup, "POST", "/api/auth/signup", { json: { email: freshEmail("noname"), password: "a long enough password" } }), 422);
  });
});

describe("cross-site requests (CSRF)", () => {
  const crossSite = { origin: "http://evil.example", host: "localhost" };

  test("a cross-site POST with a valid session cookie is refused 403 and creates nothing", async () => {
    const user = await buildUser();
    const counts = async () => ({ projects: await db.project.count(), memberships: await db.membership.count(), audit: await db.auditEvent.count() });
    const before = await counts();

    const response = await call(createProjectRoute, "POST", "/api/projects", { json: { name: "Planted by evil.example" }, headers: crossSite, as: user.cookie });
    expect(expectApiError(response, 403).code).toBe("forbidden");
    expect(await counts()).toEqual(before);
    expect(await db.project.findFirst({ where: { name: "Planted by evil.example" } })).toBeNull();
  });

  test("a cross-site token creation, logout and login are refused and change nothing", async () => {
    const user = await buildUser();
    const tokensBefore = await db.apiToken.count();
    const sessionsBefore = await db.session.count();

    expectApiError(await call(createToken, "POST", "/api/tokens", { json: { name: "evil" }, headers: crossSite, as: user.cookie }), 403);
    expect(await db.apiToken.count()).toBe(tokensBefore);

    expectApiError(await call(logout, "POST", "/api/auth/logout", { headers: crossSite, as: user.cookie }), 403);
    expect((await call(me, "GET", "/api/auth/me", { as: user.cookie })).status).toBe(200);

    const crossLogin = await call(login, "POST", "/api/auth/login", { json: { email: user.email, password: testPassword }, headers: crossSite });
    expectApiError(crossLogin, 403);
    expect(crossLogin.headers.get("set-cookie")).toBeNull();
    expect(await db.session.count()).toBe(sessionsBefore);
  });

  test("a same-origin POST (Origin matching Host) is accepted", async () => {
    const user = await buildUser();
    const response = await call(createProjectRoute, "POST", "/api/projects", {
      json: { name: "Same origin" },
      headers: { origin: "http://localhost", host: "localhost" },
      as: user.cookie,
    });
    expect(response.status).toBe(201);
  });
});
