import { beforeAll, describe, expect, test } from "vitest";
import { POST as createAnnotationRoute } from "@/app/api/articles/[id]/annotations/route";
import { db } from "@/lib/db";
import { callRoute, expectApiError } from "../helpers/api";
import { buildArticle, buildEntity, buildProject, buildUser, type TestUser } from "../helpers/factories";

/* Creating many annotations in one request: all of them or none, the bad item named by its index. */

const text = "🇫🇷 Putin met Hollande. Putin spoke; Hollande listened to Putin.";

let owner: TestUser;
let ana: TestUser;
let outsider: TestUser;
let projectId: string;
let putinId: string;

beforeAll(async () => {
  [owner, ana, outsider] = await Promise.all([buildUser(), buildUser({ name: "Ana" }), buildUser()]);
  projectId = (await buildProject(owner, [{ user: ana, role: "annotator" }])).id;
  putinId = (await buildEntity(owner, projectId, { name: "Vladimir Putin", type: "PER", aliases: ["Putin"] })).id;
});

function spansOf(quote: string) {
  const found = [];
  for (let at = text.indexOf(quote); at >= 0; at = text.indexOf(quote, at + 1)) found.push({ start: at, end: at + quote.length, quote });
  return found;
}

function createBatch(user: TestUser | null, articleId: string, body: unknown) {
  return callRoute(createAnnotationRoute, "POST", `/api/articles/${articleId}/annotations`, { params: { id: articleId }, as: user?.cookie ?? null, json: body });
}

async function liveCount(articleId: string) {
  return db.annotation.count({ where: { articleId, deletedAt: null } });
}

describe("POST /api/articles/:id/annotations with {annotations: [...]}", () => {
  test("creates every item in one go, with exact quotes, entity find-or-create and an audit entry each", async () => {
    const article = await buildArticle(owner, projectId, { text });
    const body = {
      annotations: [
        ...spansOf("Putin").map((span) => ({ kind: "entity", ...span, entityId: putinId })),
        ...spansOf("Hollande").map((span) => ({ kind: "entity", ...span, entityType: "PER", entityName: "François Hollande" })),
      ],
    };
    const response = await createBatch(ana, article.id, body);
    expect(response.status).toBe(201);
    const created = response.body.annotations as { id: string; start: number; end: number; quote: string; entity: { name: string }; userId: string }[];
    expect(created).toHaveLength(5);
    for (const annotation of created) {
      expect(text.slice(annotation.start, annotation.end)).toBe(annotation.quote);
      expect(annotation.userId).toBe(ana.id);
    }
    expect(new Set(created.filter((annotation) => annotation.quote === "Hollande").map((annotation) => annotation.entity.name))).toEqual(new Set(["François Hollande"]));
    expect(await db.entity.count({ where: { projectId, name: "François Hollande" } })).toBe(1);
    expect(await db.auditEvent.count({ where: { action: "annotation.create", objectId: { in: created.map((annotation) => annotation.id) } } })).toBe(5);
    expect((await db.annotatorArticleStatus.findUnique({ where: { articleId_userId: { articleId: article.id, userId: ana.id } } }))?.status).toBe("IN_PROGRESS");
  });

  test("one bad item (wrong quote) refuses the whole batch, naming the item", async () => {
    const article = await buildArticle(owner, projectId, { text });
    const [first, second] = spansOf("Putin");
    const response = await createBatch(ana, article.id, {
      annotations: [
        { kind: "entity", ...first, entityId: putinId },
        { kind: "entity", ...second, quote: "Hollande", entityId: putinId },
      ],
    });
    const error = expectApiError(response, 422);
    expect(error.message).toMatch(/^annotations\[1\]: /);
    expect(await liveCount(article.id)).toBe(0);
  });

  test("an unknown type in a later item creates nothing, not even the entity an earlier item asked for", async () => {
    const article = await buildArticle(owner, projectId, { text });
    const [first] = spansOf("Hollande");
    const response = await createBatch(ana, article.id, {
      annotations: [
        { kind: "entity", ...first, entityType: "PER", entityName: "Batch-only entity" },
        { kind: "entity", ...first, entityType: "NOPE", entityName: "Whoever" },
      ],
    });
    expect(expectApiError(response, 422).message).toMatch(/annotations\[1\]: .*unknown entity type/);
    expect(await liveCount(article.id)).toBe(0);
    expect(await db.entity.count({ where: { projectId, name: "Batch-only entity" } })).toBe(0);
  });

  test("a malformed item, an empty list or more than 1,000 items is a 422 naming the problem", async () => {
    const article = await buildArticle(owner, projectId, { text });
    expectApiError(await createBatch(ana, article.id, { annotations: [] }), 422);
    expect(expectApiError(await createBatch(ana, article.id, { annotations: [{ kind: "entity", start: 5, end: 1, quote: "x", entityId: putinId }] }), 422).message).toMatch(/annotations\.0/);
    const [span] = spansOf("Putin");
    const tooMany = Array.from({ length: 1001 }, () => ({ kind: "entity", ...span, entityId: putinId }));
    expect(expectApiError(await createBatch(ana, article.id, { annotations: tooMany }), 422).message).toMatch(/at most 1000/);
    expect(await liveCount(article.id)).toBe(0);
  });

  test("a retried batch (same idempotency keys) is not doubled; reusing some keys is a conflict", async () => {
    const article = await buildArticle(owner, projectId, { text });
    const annotations = spansOf("Putin").map((span, index) => ({ kind: "entity", ...span, entityId: putinId, idempotencyKey: `batch-${article.id}-${index}` }));
    const first = await createBatch(ana, article.id, { annotations });
    expect(first.status).toBe(201);
    const again = await createBatch(ana, article.id, { annotations });
    expect(again.status).toBe(200);
    expect(again.body.annotations.map((annotation: { id: string }) => annotation.id).sort()).toEqual(first.body.annotations.map((annotation: { id: string }) => annotation.id).sort());
    const [hollande] = spansOf("Hollande");
    const mixed = await createBatch(ana, article.id, { annotations: [annotations[0], { kind: "entity", ...hollande, entityId: putinId, idempotencyKey: `new-${article.id}` }] });
    expectApiError(mixed, 409);
    expect(await liveCount(article.id)).toBe(3);
  });

  test("outsiders get 404 and nothing is created", async () => {
    const article = await buildArticle(owner, projectId, { text });
    const [span] = spansOf("Putin");
    expectApiError(await createBatch(outsider, article.id, { annotations: [{ kind: "entity", ...span, entityId: putinId }] }), 404);
    expectApiError(await createBatch(null, article.id, { annotations: [{ kind: "entity", ...span, entityId: putinId }] }), 401);
    expect(await liveCount(article.id)).toBe(0);
  });
});
