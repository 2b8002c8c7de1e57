import { beforeAll, describe, expect, test } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { GET as getArticleRouteHandler } from "@/app/api/articles/[id]/route";
import { GET as listArticlesRouteHandler } from "@/app/api/projects/[id]/articles/route";
import { GET as listProjectsRoute } from "@/app/api/projects/route";
import { db } from "@/lib/db";
import { seedDemoProject } from "@/lib/server/demo/seed";
import { callRoute, sessionCookieFrom } from "../helpers/api";

/** tests/helpers/api.ts types `params` as Record<string, string>; the [id] handlers want {id}: same call, narrower type. */

const getArticleRoute = getArticleRouteHandler;
const listArticlesRoute = listArticlesRouteHandler;

const demoProjectName = "Hollande–Putin talks on Syria";
const demoPassword = "spanlight-demo";
const bloombergTitle = "Hollande Says He’s Narrowed Differences With Putin Over Syria";
const demoMembers = [
  { email: "reviewer@demo.spanlight", role: "owner" },
  { email: "ana@demo.spanlight", role: "annotator" },
  { email: "ben@demo.spanlight", role: "annotator" },
] as const;

// argon2 plus about a thousand rows, on a 2-core machine.
const seedTimeout = 120_000;

async function counts() {
  const [users, projects, memberships, articles, versions, entities, annotations, statuses] = await Promise.all([
    db.user.count(),
    db.project.count(),
    db.membership.count(),
    db.article.count(),
    db.articleVersion.count(),
    db.entity.count(),
    db.annotation.count(),
    db.annotatorArticleStatus.count(),
  ]);
  return { users, projects, memberships, articles, versions, entities, annotations, statuses };
}

type DemoAnnotation = Awaited<ReturnType<typeof loadAnnotations>>[number];

function loadAnnotations(projectId: string) {
  return db.annotation.findMany({
    where: { projectId },
    select: {
      id: true,
      articleId: true,
      articleVersionId: true,
      layer: true,
      kind: true,
      start: true,
      end: true,
      quote: true,
      userId: true,
      entityType: { select: { name: true } },
      holderEntityId: true,
      targetEntityId: true,
      polarity: { select: { name: true } },
    },
  });
}

const spanKey = (a: DemoAnnotation) => `${a.start}:${a.end}:${a.kind}:${a.entityType?.name ?? ""}`;
const stanceKey = (a: DemoAnnotation) => `${a.start}:${a.end}:${a.holderEntityId}:${a.targetEntityId}`;

describe("seedDemoProject()", () => {
  let seeded: boolean;
  let before: Awaited<ReturnType<typeof counts>>;

  beforeAll(async () => {
    before = await counts();
    seeded = await seedDemoProject();
  }, seedTimeout);

  test("seeds on an empty database and creates exactly one demo project with 5 articles", async () => {
    expect(before.projects).toBe(0);
    expect(seeded).toBe(true);
    const projects = await db.project.findMany({ where: { isDemo: true }, include: { _count: { select: { articles: true } } } });
    expect(projects).toHaveLength(1);
    expect(projects[0]!.name).toBe(demoProjectName);
    expect(projects[0]!._count.articles).toBe(5);
    expect(await db.project.count()).toBe(1);
  });

  test("members: reviewer@ (owner), ana@ and ben@ (annotators), exactly", async () => {
    const project = await db.project.findFirstOrThrow({ where: { isDemo: true } });
    const memberships = await db.membership.findMany({ where: { projectId: project.id }, select: { role: true, user: { select: { email: true } } } });
    expect(memberships.map((m) => ({ email: m.user.email, role: m.role })).sort((a, b) => a.email.localeCompare(b.email))).toEqual(
      [...demoMembers].sort((a, b) => a.email.localeCompare(b.email)),
    );
  });

  test.each(demoMembers)("$email can sign in with the demo password through the login route and sees the project as $role", async ({ email, role }) => {
    const response = await callRoute(login, "POST", "/api/auth/login", { json: { email, password: demoPassword } });
    expect(response.status).toBe(200);
    expect(response.body.user.email).toBe(email);
    expect(JSON.stringify(response.body)).not.toContain("$argon2");

    const projects = await callRoute(listProjectsRoute, "GET", "/api/projects", { as: sessionCookieFrom(response) });
    expect(projects.body.projects).toEqual([expect.objectContaining({ name: demoProjectName, role, isDemo: true, articleCount: 5 })]);

    const wrong = await callRoute(login, "POST", "/api/auth/login", { json: { email, password: "not-the-demo-password" } });
    expect(wrong.status).toBe(401);
  });

  test("calling it again returns false and creates nothing", { timeout: seedTimeout }, async () => {
    const afterFirst = await counts();
    expect(await seedDemoProject()).toBe(false);
    expect(await counts()).toEqual(afterFirst);
  });

  test("the Bloomberg article's title is its headline, which its text contains", async () => {
    const project = await db.project.findFirstOrThrow({ where: { isDemo: true } });
    const version = await db.articleVersion.findFirstOrThrow({ where: { article: { projectId: project.id }, source: "Bloomberg" } });
    expect(version.title).toBe(bloombergTitle);
    expect(version.text).toContain(bloombergTitle);

    // ...and the API serves it the same way to a member.
    const reviewer = sessionCookieFrom(await callRoute(login, "POST", "/api/auth/login", { json: { email: "reviewer@demo.spanlight", password: demoPassword } }));
    const article = await callRoute(getArticleRoute, "GET", `/api/articles/${version.articleId}`, { params: { id: version.articleId }, as: reviewer });
    expect(article.body).toMatchObject({ title: bloombergTitle, source: "Bloomberg", version: 1 });
    expect(article.body.text).toContain(bloombergTitle);
  });

  test("articles are numbered 1–5 and their texts are canonical (no CR, no BOM)", async () => {
    const project = await db.project.findFirstOrThrow({ where: { isDemo: true } });
    const articles = await db.article.findMany({ where: { projectId: project.id }, orderBy: { position: "asc" }, include: { versions: true } });
    expect(articles.map((a) => a.position)).toEqual([1, 2, 3, 4, 5]);
    for (const article of articles) {
      expect(article.versions).toHaveLength(1);
      const text = article.versions[0]!.text;
      expect(text).not.toContain("\r");
      expect(text.charCodeAt(0)).not.toBe(0xfeff);
    }
  });

  test("the annotators' progress is listed for the owner", async () => {
    const project = await db.project.findFirstOrThrow({ where: { isDemo: true } });
    const reviewer = sessionCookieFrom(await callRoute(login, "POST", "/api/auth/login", { json: { email: "reviewer@demo.spanlight", password: demoPassword } }));
    const listed = await callRoute(listArticlesRoute, "GET", `/api/projects/${project.id}/articles`, { params: { id: project.id }, as: reviewer });
    expect(listed.body.articles).toHaveLength(5);
    for (const article of listed.body.articles) {
      const byEmail = Object.fromEntries(article.progress.map((p: { email: string; status: string }) => [p.email, p.status]));
      expect(["IN_PROGRESS", "FINISHED"]).toContain(byEmail["ana@demo.spanlight"]);
      expect(["IN_PROGRESS", "FINISHED"]).toContain(byEmail["ben@demo.spanlight"]);
    }
  });

  describe("annotations", () => {
    let annotations: DemoAnnotation[];
    let texts: Map<string, string>;
    let articleIds: string[];
    let ana: string;
    let ben: string;

    beforeAll(async () => {
      const project = await db.project.findFirstOrThrow({ where: { isDemo: true } });
      annotations = await loadAnnotations(project.id);
      const versions = await db.articleVersion.findMany({ where: { article: { projectId: project.id } }, select: { id: true, articleId: true, text: true } });
      texts = new Map(versions.map((v) => [v.id, v.text]));
      articleIds = (await db.article.findMany({ where: { projectId: project.id }, orderBy: { position: "asc" }, select: { id: true } })).map((a) => a.id);
      ana = (await db.user.findUniqueOrThrow({ where: { email: "ana@demo.spanlight" } })).id;
      ben = (await db.user.findUniqueOrThrow({ where: { email: "ben@demo.spanlight" } })).id;
    });

    test("every annotation's quote equals text.slice(start, end) of its article version", () => {
      expect(annotations.length).toBeGreaterThan(100);
      const mismatches = annotations.filter((a) => texts.get(a.articleVersionId)?.slice(a.start, a.end) !== a.quote);
      expect(mismatches.map((a) => ({ quote: a.quote, start: a.start, end: a.end, actual: texts.get(a.articleVersionId)?.slice(a.start, a.end) }))).toEqual([]);
    });

    test("all demo annotations are in ana's or ben's user layer (no gold yet)", () => {
      for (const a of annotations) {
        expect(a.layer).toBe("user");
        expect([ana, ben]).toContain(a.userId);
      }
    });

    test("for every article, both ana and ben have entity annotations and at least one stance", () => {
      for (const articleId of articleIds) {
        for (const userId of [ana, ben]) {
          const mine = annotations.filter((a) => a.articleId === articleId && a.userId === userId);
          expect(mine.filter((a) => a.kind === "entity").length, `${userId} entities in ${articleId}`).toBeGreaterThan(0);
          expect(mine.filter((a) => a.kind === "stance").length, `${userId} stances in ${articleId}`).toBeGreaterThanOrEqual(1);
        }
      }
    });

    test("most of ana's spans (start, end, kind, type) are also in ben's layer (>70%), but not all: every article has a difference", () => {
      let shared = 0;
      let anaTotal = 0;
      for (const articleId of articleIds) {
        const anaKeys = new Set(annotations.filter((a) => a.articleId === articleId && a.userId === ana).map(spanKey));
        const benKeys = new Set(annotations.filter((a) => a.articleId === articleId && a.userId === ben).map(spanKey));
        const inBoth = [...anaKeys].filter((key) => benKeys.has(key)).length;
        const differences = anaKeys.size + benKeys.size - 2 * inBoth;
        expect(inBoth / anaKeys.size, `agreement in article ${articleId}`).toBeGreaterThan(0.7);
        expect(differences, `differences in article ${articleId}`).toBeGreaterThanOrEqual(1);
        shared += inBoth;
        anaTotal += anaKeys.size;
      }
      expect(shared / anaTotal).toBeGreaterThan(0.7);
      expect(shared).toBeLessThan(anaTotal);
    });

    test("exactly one stance matching on (start, end, holder, target) between ana and ben differs in polarity, across the whole demo", () => {
      const polarityDifferences: string[] = [];
      for (const articleId of articleIds) {
        const benStances = new Map(
          annotations.filter((a) => a.articleId === articleId && a.userId === ben && a.kind === "stance").map((a) => [stanceKey(a), a.polarity?.name]),
        );
        for (const stance of annotations.filter((a) => a.articleId === articleId && a.userId === ana && a.kind === "stance")) {
          const benPolarity = benStances.get(stanceKey(stance));
          if (benPolarity !== undefined && benPolarity !== stance.polarity?.name) {
            polarityDifferences.push(`${stance.quote}: ana ${stance.polarity?.name}, ben ${benPolarity}`);
          }
        }
      }
      expect(polarityDifferences).toHaveLength(1);
    });
  });
});
