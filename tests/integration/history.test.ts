import { beforeAll, describe, expect, test } from "vitest";
import { GET as historyRoute } from "@/app/api/annotations/[id]/history/route";
import { POST as restoreAnnotationRoute } from "@/app/api/annotations/[id]/restore/route";
import { DELETE as deleteAnnotationRoute, PATCH as patchAnnotationRoute } from "@/app/api/annotations/[id]/route";
import { POST as createAnnotationRoute } from "@/app/api/articles/[id]/annotations/route";
import { GET as deletedLayersRoute, POST as restoreLayerRoute } from "@/app/api/articles/[id]/layers/restore/route";
import { db } from "@/lib/db";
import { callRoute, expectApiError, type ApiResponse } from "../helpers/api";
import { buildArticle, buildEntity, buildGoldMention, buildMention, buildProject, buildUser, type TestUser } from "../helpers/factories";

/*
 * Annotation history (GET /api/annotations/:id/history), restore by owner or reviewer, and the layer restore
 * (GET/POST /api/articles/:id/layers/restore). One project with an owner, a reviewer and two annotators (ana, ben);
 * each test makes its own article.
 */

const articleText = "Vladimir Putin met Francois Hollande in Moscow.\nHollande said Putin agreed.\nThey talked about Syria.";

let owner: TestUser;
let reviewer: TestUser;
let ana: TestUser;
let ben: TestUser;
let outsider: TestUser;
let projectId: string;
let putin: { id: string };
let hollande: { id: string };

beforeAll(async () => {
  [owner, reviewer, ana, ben, outsider] = await Promise.all([buildUser({ name: "Owner" }), buildUser({ name: "Rita Reviewer" }), buildUser({ name: "Ana" }), buildUser({ name: "Ben" }), buildUser()]);
  projectId = (
    await buildProject(owner, [
      { user: reviewer, role: "reviewer" },
      { user: ana, role: "annotator" },
      { user: ben, role: "annotator" },
    ])
  ).id;
  putin = await buildEntity(owner, projectId, { name: "Vladimir Putin", type: "PER", aliases: ["Putin"] });
  hollande = await buildEntity(owner, projectId, { name: "Francois Hollande", type: "PER", aliases: ["Hollande"] });
  await buildProject(outsider);
});

function span(quote: string, occurrence = 0) {
  let start = -1;
  for (let seen = 0; seen <= occurrence; seen++) start = articleText.indexOf(quote, start + 1);
  if (start < 0) throw new Error(`${quote} not in text`);
  return { start, end: start + quote.length, quote };
}

const as = (user: TestUser | null) => user?.cookie ?? null;

function history(user: TestUser | null, annotationId: string) {
  return callRoute(historyRoute, "GET", `/api/annotations/${annotationId}/history`, { params: { id: annotationId }, as: as(user) });
}
function create(user: TestUser, articleId: string, json: unknown) {
  return callRoute(createAnnotationRoute, "POST", `/api/articles/${articleId}/annotations`, { params: { id: articleId }, as: user.cookie, json });
}
function patch(user: TestUser, annotationId: string, json: unknown) {
  return callRoute(patchAnnotationRoute, "PATCH", `/api/annotations/${annotationId}`, { params: { id: annotationId }, as: user.cookie, json });
}
function remove(user: TestUser, annotationId: string) {
  return callRoute(deleteAnnotationRoute, "DELETE", `/api/annotations/${annotationId}`, { params: { id: annotationId }, as: user.cookie });
}
function restore(user: TestUser | null, annotationId: string) {
  return callRoute(restoreAnnotationRoute, "POST", `/api/annotations/${annotationId}/restore`, { params: { id: annotationId }, as: as(user) });
}
function restoreLayer(user: TestUser | null, articleId: string, json: unknown) {
  return callRoute(restoreLayerRoute, "POST", `/api/articles/${articleId}/layers/restore`, { params: { id: articleId }, as: as(user), json });
}
function deletedLayers(user: TestUser | null, articleId: string, query = "") {
  return callRoute(deletedLayersRoute, "GET", `/api/articles/${articleId}/layers/restore${query}`, { params: { id: articleId }, as: as(user) });
}

/** Every annotation row and the audit log's size: what a refused request must leave as it was. */
async function snapshot() {
  const [audit, annotations] = await Promise.all([db.auditEvent.count(), db.annotation.findMany({ orderBy: { id: "asc" } })]);
  return { audit, annotations };
}

async function expectNoChange(write: () => Promise<ApiResponse>): Promise<ApiResponse> {
  const before = await snapshot();
  const response = await write();
  expect(await snapshot()).toEqual(before);
  return response;
}

/** One mention per quote in `user`'s layer, linked to Hollande for "Hollande", to Putin otherwise. */
async function mentions(user: TestUser, article: { id: string; text: string }, quotes: string[]) {
  const made = [];
  for (const quote of quotes) made.push(await buildMention(user, article, quote, { entityId: quote.includes("Hollande") ? hollande.id : putin.id }));
  return made;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("GET /api/annotations/:id/history", () => {
  test("create, patch (type, boundaries, entity), delete, restore: every event, oldest first, in readable form", async () => {
    const article = await buildArticle(owner, projectId, { text: articleText });
    const created = await create(ana, article.id, { kind: "entity", ...span("Putin"), entityId: putin.id });
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    expect((await patch(ana, id, { version: 1, entityType: "ORG" })).status).toBe(200);
    expect((await patch(ana, id, { version: 2, ...span("Vladimir Putin") })).status).toBe(200);
    expect((await patch(ana, id, { version: 3, entityId: hollande.id, entityType: "PER" })).status).toBe(200);
    expect((await remove(ana, id)).status).toBe(200);

    const whileDeleted = await history(ana, id);
    expect(whileDeleted.status).toBe(200);
    expect(whileDeleted.body.canRestore).toBe(true);
    expect(whileDeleted.body.annotation).toMatchObject({ id, articleId: article.id, projectId, layer: "user", annotator: { id: ana.id, name: "Ana" }, deletedAt: expect.any(String), version: 5 });

    expect((await restore(ana, id)).status).toBe(200);
    const response = await history(ana, id);
    expect(response.status).toBe(200);
    const { annotation, canRestore, events } = response.body;
    expect(canRestore).toBe(false);
    expect(annotation).toMatchObject({ deletedAt: null, version: 6, label: "PER mention of Francois Hollande (PER)", current: { quote: "Vladimir Putin", deleted: false } });
    expect(events.map((event: { action: string }) => event.action)).toEqual([
      "annotation.create",
      "annotation.update",
      "annotation.update",
      "annotation.update",
      "annotation.delete",
      "annotation.restore",
    ]);
    expect(events.map((event: { label: string }) => event.label)).toEqual(["Created", "Changed", "Changed", "Changed", "Deleted", "Restored"]);
    for (const event of events) {
      expect(event.actor).toEqual({ id: ana.id, name: "Ana" });
      expect(new Date(event.at).toISOString()).toBe(event.at);
    }
    const times = events.map((event: { at: string }) => event.at);
    expect([...times].sort()).toEqual(times);

    const [createEvent, typeEvent, boundaryEvent, entityEvent, deleteEvent, restoreEvent] = events;
    expect(createEvent.before).toBeNull();
    expect(createEvent.after).toEqual({
      kind: "entity",
      ...span("Putin"),
      articleVersion: 1,
      entityType: "PER",
      entity: "Vladimir Putin (PER)",
      holder: null,
      target: null,
      polarity: null,
      note: null,
      deleted: false,
      version: 1,
    });
    const putinAt = span("Putin");
    expect(createEvent.summary).toBe(`Created PER mention of Vladimir Putin (PER) at [${putinAt.start}, ${putinAt.end}) “Putin”`);
    expect(typeEvent.changes).toEqual([{ field: "entityType", label: "Entity type", before: "PER", after: "ORG" }]);
    expect(typeEvent.summary).toBe("Changed Entity type: PER → ORG");
    const full = span("Vladimir Putin");
    expect(boundaryEvent.changes).toEqual([
      { field: "boundaries", label: "Boundaries", before: `[${putinAt.start}, ${putinAt.end}) “Putin”`, after: `[${full.start}, ${full.end}) “Vladimir Putin”` },
    ]);
    expect(entityEvent.changes).toEqual([
      { field: "entityType", label: "Entity type", before: "ORG", after: "PER" },
      { field: "entity", label: "Entity", before: "Vladimir Putin (PER)", after: "Francois Hollande (PER)" },
    ]);
    expect(deleteEvent.changes).toEqual([{ field: "deleted", label: "State", before: "live", after: "deleted" }]);
    expect(restoreEvent.changes).toEqual([{ field: "deleted", label: "State", before: "deleted", after: "live" }]);
    expect(restoreEvent.batchId).toBeNull();
  });

  test("a stance's polarity change reads as before → after", async () => {
    const article = await buildArticle(owner, projectId, { text: articleText });
    const created = await create(ben, article.id, { kind: "stance", ...span("Hollande said Putin agreed"), holderEntityId: hollande.id, targetEntityId: putin.id, polarity: "FAVOR" });
    await patch(ben, created.body.id, { version: 1, polarity: "AGAINST" });
    const { body } = await history(ben, created.body.id);
    expect(body.events[0].after).toMatchObject({ kind: "stance", holder: "Francois Hollande (PER)", target: "Vladimir Putin (PER)", polarity: "FAVOR" });
    expect(body.events[1].changes).toEqual([{ field: "polarity", label: "Polarity", before: "FAVOR", after: "AGAINST" }]);
    expect(body.annotation.label).toBe("stance: Francois Hollande (PER) AGAINST Vladimir Putin (PER)");
  });

  test("who may read it: the annotator and the project's reviewers and owner; another annotator and outsiders 404", async () => {
    const article = await buildArticle(owner, projectId, { text: articleText });
    const [anas] = await mentions(ana, article, ["Putin"]);
    for (const user of [ana, reviewer, owner]) expect((await history(user, anas!.id)).status).toBe(200);
    expectApiError(await history(ben, anas!.id), 404);
    expectApiError(await history(outsider, anas!.id), 404);
    expectApiError(await history(null, anas!.id), 401);
    expectApiError(await history(ana, "no-such-annotation"), 404);
    // Also once it is deleted: another annotator still learns nothing.
    await remove(ana, anas!.id);
    expectApiError(await history(ben, anas!.id), 404);
    expect((await history(reviewer, anas!.id)).body.canRestore).toBe(true);
  });

  test("a gold item's history: reviewers and owners only (annotators see the item, so 403)", async () => {
    const article = await buildArticle(owner, projectId, { text: articleText });
    const gold = await buildGoldMention(reviewer, article, "Putin", putin.id);
    for (const user of [reviewer, owner]) expect((await history(user, gold.id)).status).toBe(200);
    expectApiError(await history(ana, gold.id), 403);
    expectApiError(await history(outsider, gold.id), 404);
  });

  test("an annotation made before history was kept has no events yet, and still a readable current state", async () => {
    const article = await buildArticle(owner, projectId, { text: articleText });
    const gold = await buildGoldMention(reviewer, article, "Moscow", putin.id);
    const { body } = await history(reviewer, gold.id);
    expect(body.events).toEqual([]);
    expect(body.annotation).toMatchObject({ layer: "gold", annotator: null, current: { quote: "Moscow", entity: "Vladimir Putin (PER)" } });
  });
});

describe("POST /api/annotations/:id/restore by owner or reviewer", () => {
  test("the annotator, a reviewer and the project owner may restore; the event names who did", async () => {
    const article = await buildArticle(owner, projectId, { text: articleText });
    const [first, second, third] = await mentions(ana, article, ["Putin", "Hollande", "Moscow"]);
    for (const [user, annotation] of [[ana, first], [reviewer, second], [owner, third]] as const) {
      await remove(ana, annotation!.id);
      const restored = await restore(user, annotation!.id);
      expect(restored.status).toBe(200);
      expect(restored.body).toMatchObject({ id: annotation!.id, deletedAt: null, version: 3, userId: ana.id });
      const events = (await history(ana, annotation!.id)).body.events;
      expect(events.at(-1)).toMatchObject({ action: "annotation.restore", actor: { id: user.id } });
    }
  });

  test("another annotator and outsiders 404, anonymous 401, an annotator and a gold item 403; nothing changes", async () => {
    const article = await buildArticle(owner, projectId, { text: articleText });
    const [anas] = await mentions(ana, article, ["Putin"]);
    await remove(ana, anas!.id);
    expectApiError(await expectNoChange(() => restore(ben, anas!.id)), 404);
    expectApiError(await expectNoChange(() => restore(outsider, anas!.id)), 404);
    expectApiError(await expectNoChange(() => restore(null, anas!.id)), 401);
    const gold = await buildGoldMention(reviewer, article, "Hollande", hollande.id);
    await db.annotation.update({ where: { id: gold.id }, data: { deletedAt: new Date() } });
    expectApiError(await expectNoChange(() => restore(ana, gold.id)), 403);
    expect((await restore(reviewer, gold.id)).status).toBe(200);
  });
});

describe("POST /api/articles/:id/layers/restore", () => {
  test("the annotator restores their whole layer in one go: {restored}, one batch id, nothing else changes", async () => {
    const article = await buildArticle(owner, projectId, { text: articleText });
    const otherArticle = await buildArticle(owner, projectId, { text: articleText });
    const anas = await mentions(ana, article, ["Putin", "Hollande", "Moscow", "Syria"]);
    const bens = await mentions(ben, article, ["Putin", "Hollande"]);
    const [anasElsewhere] = await mentions(ana, otherArticle, ["Putin"]);
    for (const annotation of [...anas.slice(0, 3), ...bens, anasElsewhere!]) await remove(annotation.userId === ben.id ? ben : ana, annotation.id);
    const untouched = await db.annotation.findMany({ where: { id: { notIn: anas.slice(0, 3).map((annotation) => annotation.id) } }, orderBy: { id: "asc" } });
    const auditBefore = await db.auditEvent.count();

    const response = await restoreLayer(ana, article.id, { annotatorId: ana.id });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ restored: 3, batchId: expect.any(String) });
    expect([...response.body.annotationIds].sort()).toEqual(anas.slice(0, 3).map((annotation) => annotation.id).sort());

    const rows = await db.annotation.findMany({ where: { id: { in: anas.map((annotation) => annotation.id) } }, orderBy: { start: "asc" } });
    expect(rows.map((row) => [row.quote, row.deletedAt, row.version])).toEqual([
      ["Putin", null, 3],
      ["Hollande", null, 3],
      ["Moscow", null, 3],
      ["Syria", null, 1],
    ]);
    expect(await db.annotation.findMany({ where: { id: { in: untouched.map((row) => row.id) } }, orderBy: { id: "asc" } })).toEqual(untouched);

    const audit = await db.auditEvent.findMany({ where: { id: { gt: BigInt(auditBefore) } }, orderBy: { id: "asc" } });
    expect(audit.map((event) => event.action).sort()).toEqual(["annotation.restore", "annotation.restore", "annotation.restore", "layer.restore"]);
    const batchIds = new Set(audit.map((event) => (event.after as { batchId?: string }).batchId));
    expect([...batchIds]).toEqual([response.body.batchId]);
    expect(audit.find((event) => event.action === "layer.restore")).toMatchObject({
      actorId: ana.id,
      projectId,
      objectType: "article",
      objectId: article.id,
      after: { annotatorId: ana.id, deletedSince: null, restored: 3 },
    });
    for (const event of audit.filter((entry) => entry.action === "annotation.restore")) {
      expect(event.before).toMatchObject({ deletedAt: expect.any(String), version: 2 });
      expect(event.after).toMatchObject({ deletedAt: null, version: 3 });
      // The audited "after" is what the row now holds (the API's own serialization of it, plus the batch id).
      const row = rows.find((candidate) => candidate.id === event.objectId)!;
      expect((event.after as { updatedAt: string }).updatedAt).toBe(row.updatedAt.toISOString());
    }

    const restoredHistory = (await history(ana, anas[0]!.id)).body.events;
    expect(restoredHistory.at(-1)).toMatchObject({ action: "annotation.restore", label: "Restored with its layer", batchId: response.body.batchId });

    // Again: nothing left to restore, nothing written.
    const again = await expectNoChange(() => restoreLayer(ana, article.id, { annotatorId: ana.id }));
    expect(again.body).toEqual({ restored: 0, annotationIds: [], batchId: null });
  });

  test("deletedSince restores only what was deleted at or after that time", async () => {
    const article = await buildArticle(owner, projectId, { text: articleText });
    const [early, late, later] = await mentions(ana, article, ["Putin", "Hollande", "Moscow"]);
    await remove(ana, early!.id);
    await pause(20);
    const since: string = (await remove(ana, late!.id)).body.deletedAt;
    await remove(ana, later!.id);
    const response = await restoreLayer(ana, article.id, { annotatorId: ana.id, deletedSince: since });
    expect(response.body).toMatchObject({ restored: 2 });
    expect([...response.body.annotationIds].sort()).toEqual([late!.id, later!.id].sort());
    expect((await db.annotation.findUniqueOrThrow({ where: { id: early!.id } })).deletedAt).not.toBeNull();
    const layerEvent = await db.auditEvent.findFirst({ where: { action: "layer.restore", objectId: article.id } });
    expect(layerEvent?.after).toMatchObject({ deletedSince: since, restored: 2 });
  });

  test("a reviewer and the project owner may restore an annotator's layer", async () => {
    const article = await buildArticle(owner, projectId, { text: articleText });
    const [anas] = await mentions(ana, article, ["Putin"]);
    const [bens] = await mentions(ben, article, ["Hollande"]);
    await remove(ana, anas!.id);
    await remove(ben, bens!.id);
    expect((await restoreLayer(reviewer, article.id, { annotatorId: ana.id })).body).toMatchObject({ restored: 1, annotationIds: [anas!.id] });
    expect((await restoreLayer(owner, article.id, { annotatorId: ben.id })).body).toMatchObject({ restored: 1, annotationIds: [bens!.id] });
    const restoredBy = await db.annotation.findMany({ where: { id: { in: [anas!.id, bens!.id] } }, select: { id: true, deletedAt: true, updatedById: true, userId: true } });
    expect(restoredBy).toEqual(
      expect.arrayContaining([
        { id: anas!.id, deletedAt: null, updatedById: reviewer.id, userId: ana.id },
        { id: bens!.id, deletedAt: null, updatedById: owner.id, userId: ben.id },
      ]),
    );
  });

  test("another annotator is refused (403), outsiders 404, anonymous 401; bad bodies 400/422; nothing changes", async () => {
    const article = await buildArticle(owner, projectId, { text: articleText });
    const [anas] = await mentions(ana, article, ["Putin"]);
    await remove(ana, anas!.id);
    expectApiError(await expectNoChange(() => restoreLayer(ben, article.id, { annotatorId: ana.id })), 403);
    expectApiError(await expectNoChange(() => restoreLayer(outsider, article.id, { annotatorId: ana.id })), 404);
    expectApiError(await expectNoChange(() => restoreLayer(outsider, article.id, { annotatorId: outsider.id })), 404);
    expectApiError(await expectNoChange(() => restoreLayer(null, article.id, { annotatorId: ana.id })), 401);
    expectApiError(await expectNoChange(() => restoreLayer(ana, "no-such-article", { annotatorId: ana.id })), 404);
    expectApiError(await expectNoChange(() => restoreLayer(ana, article.id, {})), 422);
    expectApiError(await expectNoChange(() => restoreLayer(ana, article.id, { annotatorId: ana.id, deletedSince: "yesterday" })), 422);
    expectApiError(await expectNoChange(() => restoreLayer(reviewer, article.id, { annotatorId: "nobody-by-that-id" })), 422);
    const notJson = await expectNoChange(() =>
      callRoute(restoreLayerRoute, "POST", `/api/articles/${article.id}/layers/restore`, { params: { id: article.id }, as: ana.cookie, body: "annotatorId=me" }),
    );
    expectApiError(notJson, 400);
    expect((await db.annotation.findUniqueOrThrow({ where: { id: anas!.id } })).deletedAt).not.toBeNull();
  });
});

describe("GET /api/articles/:id/layers/restore", () => {
  test("lists what may be restored: my layer for annotators, every layer for reviewers", async () => {
    const article = await buildArticle(owner, projectId, { text: articleText });
    const anas = await mentions(ana, article, ["Putin", "Hollande"]);
    const [bens] = await mentions(ben, article, ["Moscow"]);
    for (const annotation of anas) await remove(ana, annotation.id);
    await remove(ben, bens!.id);

    const mine = await deletedLayers(ana, article.id);
    expect(mine.status).toBe(200);
    expect(mine.body.truncated).toBe(false);
    expect(mine.body.layers).toHaveLength(1);
    expect(mine.body.layers[0].annotator).toEqual({ id: ana.id, name: "Ana" });
    expect(mine.body.layers[0].annotations.map((annotation: { id: string }) => annotation.id).sort()).toEqual(anas.map((annotation) => annotation.id).sort());

    const all = await deletedLayers(reviewer, article.id);
    expect(all.body.layers.map((layer: { annotator: { name: string } }) => layer.annotator.name)).toEqual(["Ana", "Ben"]);
    const onlyBen = await deletedLayers(reviewer, article.id, `?annotatorId=${ben.id}`);
    expect(onlyBen.body.layers).toMatchObject([{ annotator: { id: ben.id }, annotations: [{ id: bens!.id, deletedAt: expect.any(String) }] }]);

    expectApiError(await deletedLayers(ben, article.id, `?annotatorId=${ana.id}`), 403);
    expectApiError(await deletedLayers(outsider, article.id), 404);
    expectApiError(await deletedLayers(ana, article.id, "?deletedSince=soon"), 422);
  });
});
