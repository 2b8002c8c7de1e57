import { describe, expect, test } from "vitest";
import { GET as getArticleHandler } from "@/app/api/articles/[id]/route";
import { GET as listArticlesRouteHandler, POST as addArticleRouteHandler } from "@/app/api/projects/[id]/articles/route";
import { GET as listMembersRouteHandler, POST as addMemberRouteHandler } from "@/app/api/projects/[id]/members/route";
import { GET as getProjectRouteHandler } from "@/app/api/projects/[id]/route";
import { GET as listProjectsRoute, POST as createProjectRoute } from "@/app/api/projects/route";
import { GET as listTokensRoute, POST as createTokenRoute } from "@/app/api/tokens/route";
import { db } from "@/lib/db";
import { callRoute, expectApiError } from "../helpers/api";
import { buildArticle, buildProject, buildUser } from "../helpers/factories";

/** tests/helpers/api.ts types `params` as Record<string, string>; the [id] handlers want {id}: same call, narrower type. */

const getArticle = getArticleHandler;
const listArticlesRoute = listArticlesRouteHandler;
const addArticleRoute = addArticleRouteHandler;
const listMembersRoute = listMembersRouteHandler;
const addMemberRoute = addMemberRouteHandler;
const getProjectRoute = getProjectRouteHandler;

/** Row counts of every table a project write could touch. */
async function rowCounts() {
  const [users, projects, memberships, entityTypes, polarities, articles, versions, tokens, audit] = await Promise.all([
    db.user.count(),
    db.project.count(),
    db.membership.count(),
    db.entityType.count(),
    db.stancePolarity.count(),
    db.article.count(),
    db.articleVersion.count(),
    db.apiToken.count(),
    db.auditEvent.count(),
  ]);
  return { users, projects, memberships, entityTypes, polarities, articles, versions, tokens, audit };
}

/** Runs `write` and asserts that no table changed. */
async function expectNoChange<T>(write: () => Promise<T>): Promise<T> {
  const before = await rowCounts();
  const result = await write();
  expect(await rowCounts()).toEqual(before);
  return result;
}

describe("POST /api/projects", () => {
  test("creates a project (201) with me as owner and the default tag set", async () => {
    const owner = await buildUser();
    const created = await callRoute(createProjectRoute, "POST", "/api/projects", { json: { name: "  Election coverage  " }, as: owner.cookie });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(String), name: "Election coverage", role: "owner", isDemo: false, articleCount: 0 });

    const project = await callRoute(getProjectRoute, "GET", `/api/projects/${created.body.id}`, { params: { id: created.body.id }, as: owner.cookie });
    expect(project.status).toBe(200);
    expect(project.body).toMatchObject({ id: created.body.id, name: "Election coverage", role: "owner" });
    expect(project.body.entityTypes.map((type: { name: string }) => type.name)).toEqual(["PER", "ORG", "LOC", "MISC"]);
    expect(project.body.polarities.map((polarity: { name: string }) => polarity.name)).toEqual(["FAVOR", "AGAINST", "NEUTRAL"]);
    for (const type of project.body.entityTypes) expect(type.color).toMatch(/^#[0-9A-Fa-f]{6}$/);

    const members = await callRoute(listMembersRoute, "GET", `/api/projects/${created.body.id}/members`, { params: { id: created.body.id }, as: owner.cookie });
    expect(members.body.members).toEqual([expect.objectContaining({ userId: owner.id, email: owner.email, role: "owner" })]);
  });

  test("a missing or blank name is 422 and creates nothing", async () => {
    const owner = await buildUser();
    for (const json of [{}, { name: "   " }, { name: 42 }]) {
      const response = await expectNoChange(() => callRoute(createProjectRoute, "POST", "/api/projects", { json, as: owner.cookie }));
      expect(expectApiError(response, 422).code).toBe("validation_failed");
    }
  });

  // APP BUG: no schema refuses U+0000, which PostgreSQL text columns cannot store ("invalid byte sequence for encoding
  // UTF8: 0x00"); the driver error is not mapped in lib/server/api/errors.ts toAppError, so the API answers 500
  // internal_error instead of 422. Same for article titles/texts, user names (signup) and token names.
  test("a name containing U+0000 is refused with 422 (not a 500) and creates nothing", async () => {
    const owner = await buildUser();
    const response = await expectNoChange(() => callRoute(createProjectRoute, "POST", "/api/projects", { json: { name: "Null\u0000byte" }, as: owner.cookie }));
    expectApiError(response, 422);
  });

  test("malformed JSON is 400 and creates nothing", async () => {
    const owner = await buildUser();
    const response = await expectNoChange(() =>
      callRoute(createProjectRoute, "POST", "/api/projects", { body: "{name:", headers: { "content-type": "application/json" }, as: owner.cookie }),
    );
    expectApiError(response, 400);
  });
});

describe("GET /api/projects", () => {
  test("lists only the projects I belong to, each with my role", async () => {
    const me = await buildUser();
    const other = await buildUser();
    const mine = await buildProject(me);
    const asAnnotator = await buildProject(other, [{ user: me, role: "annotator" }]);
    const asReviewer = await buildProject(other, [{ user: me, role: "reviewer" }]);
    const notMine = await buildProject(other);
    await buildArticle(me, mine.id);

    const response = await callRoute(listProjectsRoute, "GET", "/api/projects", { as: me.cookie });
    expect(response.status).toBe(200);
    const byId = new Map<string, { role: string; name: string; articleCount: number }>(response.body.projects.map((p: { id: string }) => [p.id, p]));
    expect([...byId.keys()].sort()).toEqual([mine.id, asAnnotator.id, asReviewer.id].sort());
    expect(byId.get(mine.id)).toMatchObject({ role: "owner", name: mine.name, articleCount: 1 });
    expect(byId.get(asAnnotator.id)?.role).toBe("annotator");
    expect(byId.get(asReviewer.id)?.role).toBe("reviewer");
    expect(byId.has(notMine.id)).toBe(false);

    const theirs = await callRoute(listProjectsRoute, "GET", "/api/projects", { as: other.cookie });
    expect(theirs.body.projects.map((p: { id: string }) => p.id).sort()).toEqual([asAnnotator.id, asReviewer.id, notMine.id].sort());
    expect(theirs.body.projects.every((p: { role: string }) => p.role === "owner")).toBe(true);
  });
});

describe("POST /api/projects/:id/members", () => {
  test("the owner adds an existing account by email (201), in any letter case", async () => {
    const owner = await buildUser();
    const newcomer = await buildUser();
    const project = await buildProject(owner);

    const response = await callRoute(addMemberRoute, "POST", `/api/projects/${project.id}/members`, {
      params: { id: project.id },
      json: { email: ` ${newcomer.email.toUpperCase()} `, role: "annotator" },
      as: owner.cookie,
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ userId: newcomer.id, email: newcomer.email, role: "annotator" });

    const listed = await callRoute(listProjectsRoute, "GET", "/api/projects", { as: newcomer.cookie });
    expect(listed.body.projects).toEqual([expect.objectContaining({ id: project.id, role: "annotator" })]);
    const members = await callRoute(listMembersRoute, "GET", `/api/projects/${project.id}/members`, { params: { id: project.id }, as: newcomer.cookie });
    expect(members.body.members.map((m: { userId: string; role: string }) => [m.userId, m.role])).toEqual([
      [owner.id, "owner"],
      [newcomer.id, "annotator"],
    ]);
  });

  test("adding someone who is already a member is 409 and changes nothing (their role stays)", async () => {
    const owner = await buildUser();
    const member = await buildUser();
    const project = await buildProject(owner, [{ user: member, role: "annotator" }]);
    const response = await expectNoChange(() =>
      callRoute(addMemberRoute, "POST", `/api/projects/${project.id}/members`, { params: { id: project.id }, json: { email: member.email, role: "reviewer" }, as: owner.cookie }),
    );
    expect(expectApiError(response, 409).code).toBe("already_exists");
    const membership = await db.membership.findUnique({ where: { projectId_userId: { projectId: project.id, userId: member.id } } });
    expect(membership?.role).toBe("annotator");
  });

  test("adding the owner themselves is 409", async () => {
    const owner = await buildUser();
    const project = await buildProject(owner);
    const response = await expectNoChange(() =>
      callRoute(addMemberRoute, "POST", `/api/projects/${project.id}/members`, { params: { id: project.id }, json: { email: owner.email, role: "annotator" }, as: owner.cookie }),
    );
    expectApiError(response, 409);
  });

  test("an unknown role is 422 and changes nothing", async () => {
    const owner = await buildUser();
    const newcomer = await buildUser();
    const project = await buildProject(owner);
    const response = await expectNoChange(() =>
      callRoute(addMemberRoute, "POST", `/api/projects/${project.id}/members`, { params: { id: project.id }, json: { email: newcomer.email, role: "admin" }, as: owner.cookie }),
    );
    expect(expectApiError(response, 422).message).toContain("role");
  });

  test("an email with no account is 422 and changes nothing", async () => {
    const owner = await buildUser();
    const project = await buildProject(owner);
    const response = await expectNoChange(() =>
      callRoute(addMemberRoute, "POST", `/api/projects/${project.id}/members`, {
        params: { id: project.id },
        json: { email: "no-such-person@example.org", role: "annotator" },
        as: owner.cookie,
      }),
    );
    expect(expectApiError(response, 422).code).toBe("validation_failed");
  });

  test.each(["annotator", "reviewer"] as const)("a %s adding a member is 403 and changes nothing", async (role) => {
    const owner = await buildUser();
    const member = await buildUser();
    const newcomer = await buildUser();
    const project = await buildProject(owner, [{ user: member, role }]);
    const response = await expectNoChange(() =>
      callRoute(addMemberRoute, "POST", `/api/projects/${project.id}/members`, { params: { id: project.id }, json: { email: newcomer.email, role: "annotator" }, as: member.cookie }),
    );
    expect(expectApiError(response, 403).code).toBe("forbidden");
    expect(await db.membership.findUnique({ where: { projectId_userId: { projectId: project.id, userId: newcomer.id } } })).toBeNull();
  });
});

describe("outsiders (signed in, not a member) learn nothing: 404", () => {
  test("GET project, GET/POST articles, GET/POST members, GET article are all 404, and writes change nothing", async () => {
    const owner = await buildUser();
    const outsider = await buildUser();
    const newcomer = await buildUser();
    const project = await buildProject(owner);
    const article = await buildArticle(owner, project.id);
    const params = { id: project.id };

    expect(expectApiError(await callRoute(getProjectRoute, "GET", `/api/projects/${project.id}`, { params, as: outsider.cookie }), 404).code).toBe("not_found");
    expectApiError(await callRoute(listArticlesRoute, "GET", `/api/projects/${project.id}/articles`, { params, as: outsider.cookie }), 404);
    expectApiError(await callRoute(listMembersRoute, "GET", `/api/projects/${project.id}/members`, { params, as: outsider.cookie }), 404);
    expectApiError(await callRoute(getArticle, "GET", `/api/articles/${article.id}`, { params: { id: article.id }, as: outsider.cookie }), 404);

    const addArticle = await expectNoChange(() =>
      callRoute(addArticleRoute, "POST", `/api/projects/${project.id}/articles`, { params, json: { title: "Planted", text: "Planted text." }, as: outsider.cookie }),
    );
    expectApiError(addArticle, 404);
    // Not even whether the body was valid.
    const invalidArticle = await expectNoChange(() =>
      callRoute(addArticleRoute, "POST", `/api/projects/${project.id}/articles`, { params, json: {}, as: outsider.cookie }),
    );
    expectApiError(invalidArticle, 404);

    const addMember = await expectNoChange(() =>
      callRoute(addMemberRoute, "POST", `/api/projects/${project.id}/members`, { params, json: { email: newcomer.email, role: "owner" }, as: outsider.cookie }),
    );
    expectApiError(addMember, 404);
    const addSelf = await expectNoChange(() =>
      callRoute(addMemberRoute, "POST", `/api/projects/${project.id}/members`, { params, json: { email: outsider.email, role: "owner" }, as: outsider.cookie }),
    );
    expectApiError(addSelf, 404);
  });

  test("the 404 for another's project looks the same as for a project that does not exist", async () => {
    const owner = await buildUser();
    const outsider = await buildUser();
    const project = await buildProject(owner);
    const hidden = await callRoute(getProjectRoute, "GET", `/api/projects/${project.id}`, { params: { id: project.id }, as: outsider.cookie });
    const missing = await callRoute(getProjectRoute, "GET", "/api/projects/does-not-exist", { params: { id: "does-not-exist" }, as: outsider.cookie });
    expect(expectApiError(hidden, 404)).toEqual(expectApiError(missing, 404));
  });

  test("the same holds with a bearer token", async () => {
    const owner = await buildUser();
    const outsider = await buildUser();
    const project = await buildProject(owner);
    const token = (await callRoute(createTokenRoute, "POST", "/api/tokens", { json: { name: "outsider script" }, as: outsider.cookie })).body.token;
    expectApiError(await callRoute(getProjectRoute, "GET", `/api/projects/${project.id}`, { params: { id: project.id }, as: { token } }), 404);
    expectApiError(await callRoute(listArticlesRoute, "GET", `/api/projects/${project.id}/articles`, { params: { id: project.id }, as: { token } }), 404);
  });
});

describe("anonymous callers get 401 on every data endpoint", () => {
  test("every data endpoint answers 401 and no write changes anything", async () => {
    const owner = await buildUser();
    const someone = await buildUser();
    const project = await buildProject(owner);
    const article = await buildArticle(owner, project.id);
    const projectParams = { id: project.id };

    const calls: [string, () => ReturnType<typeof callRoute>][] = [
      ["GET /api/projects", () => callRoute(listProjectsRoute, "GET", "/api/projects")],
      ["POST /api/projects", () => callRoute(createProjectRoute, "POST", "/api/projects", { json: { name: "Anonymous project" } })],
      ["GET /api/projects/:id", () => callRoute(getProjectRoute, "GET", `/api/projects/${project.id}`, { params: projectParams })],
      ["GET /api/projects/:id/members", () => callRoute(listMembersRoute, "GET", `/api/projects/${project.id}/members`, { params: projectParams })],
      [
        "POST /api/projects/:id/members",
        () => callRoute(addMemberRoute, "POST", `/api/projects/${project.id}/members`, { params: projectParams, json: { email: someone.email, role: "owner" } }),
      ],
      ["GET /api/projects/:id/articles", () => callRoute(listArticlesRoute, "GET", `/api/projects/${project.id}/articles`, { params: projectParams })],
      [
        "POST /api/projects/:id/articles",
        () => callRoute(addArticleRoute, "POST", `/api/projects/${project.id}/articles`, { params: projectParams, json: { title: "Anonymous", text: "Anonymous text." } }),
      ],
      ["GET /api/articles/:id", () => callRoute(getArticle, "GET", `/api/articles/${article.id}`, { params: { id: article.id } })],
      ["GET /api/tokens", () => callRoute(listTokensRoute, "GET", "/api/tokens")],
      ["POST /api/tokens", () => callRoute(createTokenRoute, "POST", "/api/tokens", { json: { name: "anonymous" } })],
    ];

    const before = await rowCounts();
    for (const [name, run] of calls) {
      const response = await run();
      expect(response.status, name).toBe(401);
      expect(expectApiError(response, 401).code, name).toBe("unauthenticated");
    }
    expect(await rowCounts()).toEqual(before);
  });

  test("a stale or forged session cookie is treated as anonymous (401)", async () => {
    const owner = await buildUser();
    const project = await buildProject(owner);
    const response = await expectNoChange(() =>
      callRoute(createProjectRoute, "POST", "/api/projects", { json: { name: "Forged" }, as: "spanlight_session=forged-value" }),
    );
    expectApiError(response, 401);
    expectApiError(await callRoute(getProjectRoute, "GET", `/api/projects/${project.id}`, { params: { id: project.id }, as: "spanlight_session=forged-value" }), 401);
  });
});
