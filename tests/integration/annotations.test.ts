import { beforeAll, describe, expect, test } from "vitest";
import { DELETE as deleteAnnotationRoute, PATCH as patchAnnotationRoute } from "@/app/api/annotations/[id]/route";
import { POST as restoreAnnotationRoute } from "@/app/api/annotations/[id]/restore/route";
import { GET as listAnnotationsRoute, POST as createAnnotationRoute } from "@/app/api/articles/[id]/annotations/route";
import { PUT as putStatusRoute } from "@/app/api/articles/[id]/status/route";
import { GET as listArticlesRoute } from "@/app/api/projects/[id]/articles/route";
import { db } from "@/lib/db";
import { callRoute, expectApiError, type ApiResponse, type CallOptions } from "../helpers/api";
import { buildArticle, buildEntity, buildGoldMention, buildMention, buildProject, buildStance, buildUser, type TestUser } from "../helpers/factories";

/*
 * Annotations through the public API: create, list by layer, patch, delete, restore, annotator status.
 * One project with an owner, a reviewer and two annotators (ana, ben) for the whole file; each test makes its own
 * article. Offsets are UTF-16 code units; "👍🏽" is four of them (two surrogate pairs).
 */

const articleText =
  "Vladimir Putin met Francois Hollande in Moscow.\n" + "Hollande gave a 👍🏽 to Putin, and Putin agreed.\n" + "They talked about Syria and the Islamic State.";

let owner: TestUser;
let reviewer: TestUser;
let ana: TestUser;
let ben: TestUser;
let outsider: TestUser;
let projectId: string;
let otherProjectId: string;
let putin: { id: string };
let hollande: { id: string };
let foreignEntity: { id: string };

beforeAll(async () => {
  [owner, reviewer, ana, ben, outsider] = await Promise.all([buildUser(), buildUser(), buildUser({ name: "Ana" }), buildUser({ name: "Ben" }), buildUser()]);
  const project = await buildProject(owner, [
    { user: reviewer, role: "reviewer" },
    { user: ana, role: "annotator" },
    { user: ben, role: "annotator" },
  ]);
  projectId = project.id;
  putin = await buildEntity(owner, projectId, { name: "Vladimir Putin", type: "PER", aliases: ["Putin"] });
  hollande = await buildEntity(owner, projectId, { name: "Francois Hollande", type: "PER", aliases: ["Hollande"] });
  otherProjectId = (await buildProject(outsider)).id;
  foreignEntity = await buildEntity(outsider, otherProjectId, { name: "Vladimir Putin", type: "PER" });
});

async function newArticle(text = articleText) {
  return buildArticle(owner, projectId, { text });
}

/** The span of the `occurrence`-th appearance of `quote` in `text`. */
function span(quote: string, occurrence = 0, text = articleText) {
  let start = -1;
  for (let seen = 0; seen <= occurrence; seen++) start = text.indexOf(quote, start + 1);
  if (start < 0) throw new Error(`${quote} not in text`);
  return { start, end: start + quote.length, quote };
}

function create(user: TestUser | null, articleId: string, options: Omit<CallOptions, "as" | "params">) {
  return callRoute(createAnnotationRoute, "POST", `/api/articles/${articleId}/annotations`, { params: { id: articleId }, as: user?.cookie ?? null, ...options });
}

function list(user: TestUser | null, articleId: string, layer?: string) {
  const query = layer === undefined ? "" : `?layer=${encodeURIComponent(layer)}`;
  return callRoute(listAnnotationsRoute, "GET", `/api/articles/${articleId}/annotations${query}`, { params: { id: articleId }, as: user?.cookie ?? null });
}

function patch(user: TestUser, annotationId: string, options: Omit<CallOptions, "as" | "params">) {
  return callRoute(patchAnnotationRoute, "PATCH", `/api/annotations/${annotationId}`, { params: { id: annotationId }, as: user.cookie, ...options });
}

function remove(user: TestUser, annotationId: string, query = "") {
  return callRoute(deleteAnnotationRoute, "DELETE", `/api/annotations/${annotationId}${query}`, { params: { id: annotationId }, as: user.cookie });
}

function restore(user: TestUser, annotationId: string, query = "") {
  return callRoute(restoreAnnotationRoute, "POST", `/api/annotations/${annotationId}/restore${query}`, { params: { id: annotationId }, as: user.cookie });
}

function putStatus(user: TestUser, articleId: string, options: Omit<CallOptions, "as" | "params">) {
  return callRoute(putStatusRoute, "PUT", `/api/articles/${articleId}/status`, { params: { id: articleId }, as: user.cookie, ...options });
}

/** Row counts of every table an annotation write touches, plus the annotation rows themselves. */
async function snapshot() {
  const [entities, audit, statuses, annotations] = await Promise.all([
    db.entity.count(),
    db.auditEvent.count(),
    db.annotatorArticleStatus.findMany({ orderBy: [{ articleId: "asc" }, { userId: "asc" }], select: { articleId: true, userId: true, status: true } }),
    db.annotation.findMany({ orderBy: { id: "asc" } }),
  ]);
  return { entities, audit, statuses, annotations };
}

/** Runs `write` and asserts that nothing changed in the database. */
async function expectNoChange(write: () => Promise<ApiResponse>): Promise<ApiResponse> {
  const before = await snapshot();
  const response = await write();
  expect(await snapshot()).toEqual(before);
  return response;
}

function mention(quote: string, label: Record<string, unknown>, occurrence = 0) {
  return { kind: "entity", ...span(quote, occurrence), ...label };
}

describe("POST /api/articles/:id/annotations", () => {
  test("an entity mention by type and name: 201 with the full annotation, a new canonical entity, audit rows, IN_PROGRESS", async () => {
    const article = await newArticle();
    const auditBefore = await db.auditEvent.count();
    const response = await create(ana, article.id, { json: mention("Moscow", { entityType: "LOC", entityName: "Moscow" }) });
    expect(response.status).toBe(201);
    const entity = await db.entity.findFirstOrThrow({ where: { projectId, name: "Moscow" }, select: { id: true } });
    expect(response.body).toEqual({
      id: expect.any(String),
      articleId: article.id,
      articleVersion: 1,
      layer: "user",
      userId: ana.id,
      annotator: { id: ana.id, name: "Ana" },
      kind: "entity",
      ...span("Moscow"),
      entityType: "LOC",
      entityId: entity.id,
      entity: { id: entity.id, name: "Moscow", type: "LOC", aliases: [] },
      holderEntityId: null,
      targetEntityId: null,
      holder: null,
      target: null,
      polarity: null,
      note: null,
      version: 1,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      deletedAt: null,
    });

    const audit = await db.auditEvent.findMany({ where: { id: { gt: BigInt(auditBefore) } }, orderBy: { id: "asc" } });
    expect(audit.map((event) => [event.action, event.objectId, event.actorId])).toEqual([
      ["entity.create", entity.id, ana.id],
      ["annotation.create", response.body.id, ana.id],
      ["article.status", article.id, ana.id],
    ]);
    expect(audit[1]!.after).toEqual(response.body);
    expect(audit[1]!.projectId).toBe(projectId);

    const status = await db.annotatorArticleStatus.findUnique({ where: { articleId_userId: { articleId: article.id, userId: ana.id } } });
    expect(status?.status).toBe("IN_PROGRESS");
  });

  test("by name finds the canonical entity by its name or an alias, case-insensitively after trimming", async () => {
    const article = await newArticle();
    const entitiesBefore = await db.entity.count();
    const byAlias = await create(ana, article.id, { json: mention("Putin", { entityType: "PER", entityName: "  putin " }) });
    const byName = await create(ana, article.id, { json: mention("Vladimir Putin", { entityType: "per", entityName: "VLADIMIR PUTIN" }) });
    expect(byAlias.status).toBe(201);
    expect(byName.status).toBe(201);
    expect(byAlias.body.entityId).toBe(putin.id);
    expect(byName.body.entityId).toBe(putin.id);
    expect(byName.body.entityType).toBe("PER");
    expect(byName.body.entity).toEqual({ id: putin.id, name: "Vladimir Putin", type: "PER", aliases: ["Putin"] });
    expect(await db.entity.count()).toBe(entitiesBefore);
  });

  test("by name looks only within the given type: the same name in another type is a new entity", async () => {
    const article = await newArticle();
    const response = await create(ana, article.id, { json: mention("Putin", { entityType: "ORG", entityName: "Putin" }, 1) });
    expect(response.status).toBe(201);
    expect(response.body.entityId).not.toBe(putin.id);
    expect(response.body.entity).toMatchObject({ name: "Putin", type: "ORG" });
  });

  test("by entityId: the mention takes the entity's type, or the entityType sent with it", async () => {
    const article = await newArticle();
    const plain = await create(ana, article.id, { json: mention("Hollande", { entityId: hollande.id }) });
    expect(plain.status).toBe(201);
    expect(plain.body).toMatchObject({ entityId: hollande.id, entityType: "PER", entity: { name: "Francois Hollande", type: "PER" } });
    const relabelled = await create(ana, article.id, { json: mention("Hollande", { entityId: hollande.id, entityType: "MISC" }, 1) });
    expect(relabelled.status).toBe(201);
    expect(relabelled.body).toMatchObject({ entityId: hollande.id, entityType: "MISC", entity: { type: "PER" } });
  });

  test("a stance: holder, target and polarity", async () => {
    const article = await newArticle();
    const response = await create(ben, article.id, {
      json: { kind: "stance", ...span("Hollande gave a 👍🏽 to Putin"), holderEntityId: hollande.id, targetEntityId: putin.id, polarity: "FAVOR" },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      kind: "stance",
      layer: "user",
      userId: ben.id,
      annotator: { id: ben.id, name: "Ben" },
      quote: "Hollande gave a 👍🏽 to Putin",
      entityType: null,
      entityId: null,
      entity: null,
      holderEntityId: hollande.id,
      targetEntityId: putin.id,
      holder: { id: hollande.id, name: "Francois Hollande", type: "PER" },
      target: { id: putin.id, name: "Vladimir Putin", type: "PER" },
      polarity: "FAVOR",
      version: 1,
    });
  });

  test("emoji offsets are UTF-16 code units: the span after 👍🏽 counts it as 4", async () => {
    const text = "👍🏽 Putin waved.";
    const article = await newArticle(text);
    expect(text.indexOf("Putin")).toBe(5);
    const ok = await create(ana, article.id, { json: { kind: "entity", start: 5, end: 10, quote: "Putin", entityId: putin.id } });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ start: 5, end: 10, quote: "Putin" });
    // Python's code point offsets for "Putin" are [3, 8): as UTF-16 offsets they cut 🏽 in half.
    const codePoints = await expectNoChange(() => create(ana, article.id, { json: { kind: "entity", start: 3, end: 8, quote: "Putin", entityId: putin.id } }));
    expect(expectApiError(codePoints, 422).message).toContain("surrogate pair");
    const emoji = await create(ana, article.id, { json: { kind: "entity", start: 0, end: 4, quote: "👍🏽", entityType: "MISC", entityName: "thumbs up" } });
    expect(emoji.status).toBe(201);
    expect(emoji.body.quote).toBe("👍🏽");
    // Between the two code points of "👍🏽" (offset 2) is a code point boundary, not a surrogate split.
    const thumbOnly = await create(ana, article.id, { json: { kind: "entity", start: 0, end: 2, quote: "👍", entityType: "MISC", entityName: "thumbs up" } });
    expect(thumbOnly.status).toBe(201);
  });

  test("overlapping, nested and identical spans are all allowed", async () => {
    const article = await newArticle();
    const outer = await create(ana, article.id, { json: mention("Vladimir Putin", { entityId: putin.id }) });
    const nested = await create(ana, article.id, { json: { kind: "entity", ...span("Putin"), entityId: putin.id } });
    const overlapping = await create(ana, article.id, { json: mention("Putin met Francois", { entityType: "MISC", entityName: "meeting" }) });
    const stanceOnSameSpan = await create(ana, article.id, {
      json: { kind: "stance", ...span("Vladimir Putin"), holderEntityId: putin.id, targetEntityId: hollande.id, polarity: "NEUTRAL" },
    });
    const duplicate = await create(ana, article.id, { json: mention("Vladimir Putin", { entityId: putin.id }) });
    for (const response of [outer, nested, overlapping, stanceOnSameSpan, duplicate]) expect(response.status).toBe(201);
    const listed = await list(ana, article.id);
    expect(listed.body.annotations).toHaveLength(5);
  });

  describe("bad input is refused and changes nothing", () => {
    let article: { id: string };
    beforeAll(async () => {
      article = await newArticle();
    });

    test.each([
      ["end past the text", { start: articleText.length - 3, end: articleText.length + 1, quote: "te." }, "outside the text"],
      ["negative start", { start: -1, end: 3, quote: "Vla" }, "start: Offsets start at 0."],
      ["start == end", { start: 4, end: 4, quote: "" }, "must be less than end"],
      ["start > end", { start: 9, end: 4, quote: "Putin" }, "must be less than end"],
      ["non-integer start", { start: 1.5, end: 4, quote: "lad" }, "whole number"],
      ["string offsets", { start: "0", end: "8", quote: "Vladimir" }, "whole number"],
      ["quote mismatch", { start: 0, end: 8, quote: "Vladimar" }, 'the text there is "Vladimir"'],
      ["surrogate split at the start of 👍🏽", { ...span("👍🏽"), start: span("👍🏽").start + 1, quote: "\udc4d🏽" }, "surrogate pair"],
      ["surrogate split at the end of 👍🏽", { ...span("👍🏽"), end: span("👍🏽").end - 1, quote: "👍\ud83c" }, "surrogate pair"],
    ])("%s: 422", async (_label, offsets, message) => {
      const response = await expectNoChange(() => create(ana, article.id, { json: { kind: "entity", ...offsets, entityType: "PER", entityName: "Someone new" } }));
      const error = expectApiError(response, 422);
      expect(error.code).toBe("validation_failed");
      expect(error.message).toContain(message);
    });

    test("a quote mismatch says what the text has there", async () => {
      const response = await expectNoChange(() => create(ana, article.id, { json: { kind: "entity", start: 19, end: 27, quote: "Hollande", entityId: hollande.id } }));
      const error = expectApiError(response, 422);
      expect(error.message).toBe('Quote does not match the text at [19, 27): the text there is "Francois".');
      expect((response.body as { error: { details: Record<string, unknown> } }).error.details).toMatchObject({ textAtSpan: "Francois", textLength: articleText.length });
    });

    test("an unknown entity type: 422 naming the project's types", async () => {
      const response = await expectNoChange(() => create(ana, article.id, { json: mention("Putin", { entityType: "PERSON", entityName: "Putin" }) }));
      const error = expectApiError(response, 422);
      expect(error.message).toContain('"PERSON"');
      expect(error.message).toContain("PER, ORG, LOC, MISC");
    });

    test("an unknown polarity: 422 naming the project's polarities", async () => {
      const response = await expectNoChange(() =>
        create(ana, article.id, { json: { kind: "stance", ...span("Putin agreed"), holderEntityId: putin.id, targetEntityId: hollande.id, polarity: "NONE" } }),
      );
      const error = expectApiError(response, 422);
      expect(error.message).toContain("FAVOR, AGAINST, NEUTRAL");
      expect(error.message).toContain("absence of a stance");
    });

    test.each([
      ["entityId of another project", () => mention("Putin", { entityId: foreignEntity.id }), "entityId"],
      ["unknown entityId", () => mention("Putin", { entityId: "no-such-entity" }), "entityId"],
      ["holder of another project", () => ({ kind: "stance", ...span("Putin agreed"), holderEntityId: foreignEntity.id, targetEntityId: putin.id, polarity: "FAVOR" }), "holderEntityId"],
      ["unknown target", () => ({ kind: "stance", ...span("Putin agreed"), holderEntityId: putin.id, targetEntityId: "nobody", polarity: "FAVOR" }), "targetEntityId"],
    ])("%s: 422 naming the field", async (_label, body, field) => {
      const response = await expectNoChange(() => create(ana, article.id, { json: body() }));
      expect(expectApiError(response, 422).message).toContain(field);
    });

    test.each([
      ["no kind", { ...span("Putin"), entityId: "x" }, "kind"],
      ["an unknown kind", { kind: "relation", ...span("Putin") }, "kind"],
      ["an entity mention without entity", { kind: "entity", ...span("Putin") }, "entityId"],
      ["entityName without entityType", { kind: "entity", ...span("Putin"), entityName: "Putin" }, "entityType"],
      ["entityId and entityName together", { kind: "entity", ...span("Putin"), entityId: "some-entity", entityType: "PER", entityName: "Putin" }, "not both"],
      ["a stance without polarity", { kind: "stance", ...span("Putin"), holderEntityId: "some-entity", targetEntityId: "some-entity" }, "polarity"],
      ["an idempotencyKey over 100 characters", { ...mention("Putin", { entityId: "some-entity" }), idempotencyKey: "k".repeat(101) }, "idempotencyKey"],
    ])("%s: 422", async (_label, body, message) => {
      const response = await expectNoChange(() => create(ana, article.id, { json: body }));
      expect(expectApiError(response, 422).message).toContain(message);
    });

    test("malformed JSON is 400; an empty body is 400", async () => {
      const malformed = await expectNoChange(() => create(ana, article.id, { body: '{"kind": "entity", "start": 0,', headers: { "content-type": "application/json" } }));
      expect(expectApiError(malformed, 400).code).toBe("invalid_json");
      expectApiError(await expectNoChange(() => create(ana, article.id, { body: "" })), 400);
    });

    test("an outsider gets 404 (like an unknown article), whatever the body; no session is 401", async () => {
      const hidden = expectApiError(await expectNoChange(() => create(outsider, article.id, { json: mention("Putin", { entityId: putin.id }) })), 404);
      const unknown = expectApiError(await expectNoChange(() => create(outsider, "no-such-article", { json: mention("Putin", { entityId: putin.id }) })), 404);
      expect(hidden).toEqual(unknown);
      expectApiError(await expectNoChange(() => create(outsider, article.id, { body: "{nonsense" })), 404);
      expectApiError(await expectNoChange(() => create(null, article.id, { json: mention("Putin", { entityId: putin.id }) })), 401);
    });
  });

  describe("idempotency", () => {
    test("the same idempotencyKey again returns the first annotation with 200 and creates nothing", async () => {
      const article = await newArticle();
      const body = { ...mention("Moscow", { entityType: "LOC", entityName: "Moscow" }), idempotencyKey: "ana-click-1" };
      const first = await create(ana, article.id, { json: body });
      expect(first.status).toBe(201);
      const again = await expectNoChange(() => create(ana, article.id, { json: body }));
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
    });

    test("two requests with the same key at once make one annotation", async () => {
      const article = await newArticle();
      const body = { ...mention("Putin", { entityId: putin.id }), idempotencyKey: "ana-double-click" };
      const before = await db.annotation.count();
      const responses = await Promise.all([create(ana, article.id, { json: body }), create(ana, article.id, { json: body })]);
      expect(responses.map((response) => response.status).sort()).toEqual([200, 201]);
      expect(responses[0]!.body.id).toBe(responses[1]!.body.id);
      expect(await db.annotation.count()).toBe(before + 1);
    });

    test("keys are per user: ben may use ana's key", async () => {
      const article = await newArticle();
      const body = { ...mention("Putin", { entityId: putin.id }), idempotencyKey: "shared-key" };
      expect((await create(ana, article.id, { json: body })).status).toBe(201);
      expect((await create(ben, article.id, { json: body })).status).toBe(201);
    });

    test("a key reused for an annotation on another article is 409 and creates nothing", async () => {
      const first = await newArticle();
      const second = await newArticle();
      const body = { ...mention("Putin", { entityId: putin.id }), idempotencyKey: "reused-key" };
      expect((await create(ana, first.id, { json: body })).status).toBe(201);
      expect(expectApiError(await expectNoChange(() => create(ana, second.id, { json: body })), 409).code).toBe("conflict");
    });

    test("a key reused for another span of the same article is 409, not a replay, and creates nothing", async () => {
      const article = await newArticle();
      const first = { ...mention("Putin", { entityId: putin.id }), idempotencyKey: "one-key" };
      expect((await create(ana, article.id, { json: first })).status).toBe(201);
      const other = { ...mention("Hollande", { entityId: hollande.id }), idempotencyKey: "one-key" };
      expect(expectApiError(await expectNoChange(() => create(ana, article.id, { json: other })), 409).code).toBe("conflict");
    });
  });

  test("status: NEW → IN_PROGRESS on the first annotation; FINISHED stays FINISHED", async () => {
    const article = await newArticle();
    const statusOf = async (user: TestUser) =>
      (await db.annotatorArticleStatus.findUnique({ where: { articleId_userId: { articleId: article.id, userId: user.id } } }))?.status ?? "NEW";
    expect(await statusOf(ben)).toBe("NEW");
    await create(ben, article.id, { json: mention("Putin", { entityId: putin.id }) });
    expect(await statusOf(ben)).toBe("IN_PROGRESS");
    expect(await statusOf(ana)).toBe("NEW");

    expect((await putStatus(ana, article.id, { json: { status: "FINISHED" } })).status).toBe(200);
    await create(ana, article.id, { json: mention("Putin", { entityId: putin.id }) });
    expect(await statusOf(ana)).toBe("FINISHED");
  });
});

describe("GET /api/articles/:id/annotations", () => {
  let article: { id: string; text: string };
  let anas: { id: string }[];
  let bens: { id: string }[];
  let gold: { id: string };

  beforeAll(async () => {
    article = await newArticle();
    // Created out of order: the list is sorted by start, then end.
    anas = [
      await buildMention(ana, article, "Moscow", { entityType: "LOC", entityName: "Moscow" }),
      await buildMention(ana, article, "Vladimir Putin", { entityId: putin.id }),
      await buildMention(ana, article, "Putin", { entityId: putin.id }),
      await buildMention(ana, article, "Vladimir", { entityType: "MISC", entityName: "first name" }),
    ];
    bens = [await buildMention(ben, article, "Hollande", { entityId: hollande.id }), await buildStance(ben, article, "Putin agreed", { holderEntityId: putin.id, targetEntityId: hollande.id, polarity: "FAVOR" })];
    gold = await buildGoldMention(reviewer, article, "Vladimir Putin", putin.id);
  });

  const ids = (response: ApiResponse) => response.body.annotations.map((annotation: { id: string }) => annotation.id);

  test("layer=mine (the default) is my own layer, sorted by start then end", async () => {
    const response = await list(ana, article.id);
    expect(response.status).toBe(200);
    expect(response.body.annotations.map((a: { quote: string }) => a.quote)).toEqual(["Vladimir", "Vladimir Putin", "Putin", "Moscow"]);
    expect((await list(ana, article.id, "mine")).body).toEqual(response.body);
    for (const annotation of response.body.annotations) expect(annotation).toMatchObject({ layer: "user", userId: ana.id, articleVersion: 1 });
  });

  test("ana never sees ben's layer, and ben never sees ana's", async () => {
    const asAna = await list(ana, article.id);
    const asBen = await list(ben, article.id);
    expect(ids(asAna).sort()).toEqual(anas.map((a) => a.id).sort());
    expect(ids(asBen).sort()).toEqual(bens.map((a) => a.id).sort());
    expect(JSON.stringify(asAna.body)).not.toContain(ben.id);
    expect(JSON.stringify((await list(ana, article.id, "gold")).body)).not.toContain(ben.id);
  });

  test("layer=gold is the gold layer, for any member", async () => {
    for (const user of [ana, ben, reviewer, owner]) {
      const response = await list(user, article.id, "gold");
      expect(response.status).toBe(200);
      expect(ids(response)).toEqual([gold.id]);
      expect(response.body.annotations[0]).toMatchObject({ layer: "gold", userId: null, annotator: null, entityId: putin.id, entityType: "PER" });
    }
  });

  test("layer=all is 403 for annotators, with a message saying who may", async () => {
    const error = expectApiError(await list(ana, article.id, "all"), 403);
    expect(error.code).toBe("forbidden");
    expect(error.message).toContain("reviewers and owners");
  });

  test("layer=all shows reviewers and owners every layer", async () => {
    for (const user of [reviewer, owner]) {
      const response = await list(user, article.id, "all");
      expect(response.status).toBe(200);
      expect(ids(response).sort()).toEqual([...anas, ...bens, gold].map((a) => a.id).sort());
    }
  });

  test("deleted annotations are left out", async () => {
    const extra = await buildMention(ana, article, "Syria", { entityType: "LOC", entityName: "Syria" });
    expect(ids(await list(ana, article.id))).toContain(extra.id);
    expect((await remove(ana, extra.id)).status).toBe(200);
    expect(ids(await list(ana, article.id))).not.toContain(extra.id);
    expect(ids(await list(reviewer, article.id, "all"))).not.toContain(extra.id);
  });

  test("an unknown layer is 422; an outsider gets 404; no session is 401", async () => {
    expect(expectApiError(await list(ana, article.id, "everything"), 422).message).toContain("mine, gold, all");
    expectApiError(await list(outsider, article.id), 404);
    expectApiError(await list(outsider, article.id, "everything"), 404);
    expectApiError(await list(null, article.id), 401);
  });
});

describe("PATCH /api/annotations/:id", () => {
  test("moves the boundaries of my annotation: version 2, re-validated, audited with before and after", async () => {
    const article = await newArticle();
    const created = await buildMention(ana, article, "Vladimir Putin", { entityId: putin.id });
    const auditBefore = await db.auditEvent.count();
    const response = await patch(ana, created.id, { json: { version: 1, ...span("Putin") } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: created.id, ...span("Putin"), version: 2, entityId: putin.id, entityType: "PER" });
    const audit = await db.auditEvent.findMany({ where: { id: { gt: BigInt(auditBefore) } } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "annotation.update", objectType: "annotation", objectId: created.id, actorId: ana.id, projectId });
    expect(audit[0]!.before).toMatchObject({ quote: "Vladimir Putin", version: 1 });
    expect(audit[0]!.after).toEqual(response.body);
  });

  test("bad boundaries are 422 and change nothing", async () => {
    const article = await newArticle();
    const created = await buildMention(ana, article, "Putin", { entityId: putin.id });
    const thumb = span("👍🏽");
    for (const body of [
      { version: 1, start: 0, end: 5, quote: "Putin" },
      { version: 1, start: 0, end: articleText.length + 5, quote: articleText },
      { version: 1, start: thumb.start + 1, end: thumb.end, quote: thumb.quote.slice(1) },
      { version: 1, start: 5, end: 5, quote: "" },
      { version: 1, start: 9 },
      { version: 1, start: 9, end: 14 },
    ]) {
      expectApiError(await expectNoChange(() => patch(ana, created.id, { json: body })), 422);
    }
  });

  test("a stale version is 409 stale_version with the current annotation, and changes nothing", async () => {
    const article = await newArticle();
    const created = await buildMention(ana, article, "Vladimir Putin", { entityId: putin.id });
    expect((await patch(ana, created.id, { json: { version: 1, entityType: "MISC" } })).status).toBe(200);
    const stale = await expectNoChange(() => patch(ana, created.id, { json: { version: 1, ...span("Putin") } }));
    const error = expectApiError(stale, 409);
    expect(error.code).toBe("stale_version");
    const details = (stale.body as { error: { details: { currentVersion: number; annotation: { version: number; entityType: string } } } }).error.details;
    expect(details.currentVersion).toBe(2);
    expect(details.annotation).toMatchObject({ id: created.id, version: 2, entityType: "MISC", quote: "Vladimir Putin" });
    expectApiError(await expectNoChange(() => patch(ana, created.id, { json: { version: 3, entityType: "PER" } })), 409);
  });

  test("entity labels: entityType alone relabels, entityName finds or creates, entityId relinks", async () => {
    const article = await newArticle();
    const created = await buildMention(ana, article, "Moscow", { entityType: "LOC", entityName: "Moscow" });
    const moscowId = created.entityId;

    const relabelled = await patch(ana, created.id, { json: { version: 1, entityType: "ORG" } });
    expect(relabelled.body).toMatchObject({ version: 2, entityType: "ORG", entityId: moscowId, entity: { type: "LOC" } });

    const entitiesBefore = await db.entity.count();
    const byName = await patch(ana, created.id, { json: { version: 2, entityType: "ORG", entityName: "Kremlin" } });
    expect(byName.status).toBe(200);
    expect(byName.body).toMatchObject({ version: 3, entityType: "ORG", entity: { name: "Kremlin", type: "ORG" } });
    expect(await db.entity.count()).toBe(entitiesBefore + 1);

    const sameName = await patch(ana, created.id, { json: { version: 3, entityName: " kremlin" } });
    expect(sameName.body).toMatchObject({ version: 3, entityId: byName.body.entityId });
    expect(await db.entity.count()).toBe(entitiesBefore + 1);

    const relinked = await patch(ana, created.id, { json: { version: 3, entityId: moscowId } });
    expect(relinked.body).toMatchObject({ version: 4, entityType: "LOC", entityId: moscowId, entity: { name: "Moscow" } });
  });

  test("stance labels: polarity, holder and target; fields of the other kind are 422", async () => {
    const article = await newArticle();
    const stance = await buildStance(ben, article, "Putin agreed", { holderEntityId: putin.id, targetEntityId: hollande.id, polarity: "FAVOR" });
    const changed = await patch(ben, stance.id, { json: { version: 1, polarity: "AGAINST", holderEntityId: hollande.id, targetEntityId: putin.id } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ version: 2, polarity: "AGAINST", holderEntityId: hollande.id, targetEntityId: putin.id, holder: { name: "Francois Hollande" } });

    expect(expectApiError(await expectNoChange(() => patch(ben, stance.id, { json: { version: 2, entityType: "PER" } })), 422).message).toContain("entity mentions");
    expect(expectApiError(await expectNoChange(() => patch(ben, stance.id, { json: { version: 2, polarity: "MAYBE" } })), 422).message).toContain("FAVOR, AGAINST, NEUTRAL");
    expectApiError(await expectNoChange(() => patch(ben, stance.id, { json: { version: 2, targetEntityId: foreignEntity.id } })), 422);
    const mentionOfBen = await buildMention(ben, article, "Putin", { entityId: putin.id });
    expect(expectApiError(await expectNoChange(() => patch(ben, mentionOfBen.id, { json: { version: 1, polarity: "FAVOR" } })), 422).message).toContain("stances");
    expectApiError(await expectNoChange(() => patch(ben, mentionOfBen.id, { json: { version: 1, entityType: "PERSON" } })), 422);
    expectApiError(await expectNoChange(() => patch(ben, mentionOfBen.id, { json: { version: 1, entityId: foreignEntity.id } })), 422);
  });

  test("a patch that changes nothing keeps the version; one without changes or version is 422; malformed JSON is 400", async () => {
    const article = await newArticle();
    const created = await buildMention(ana, article, "Putin", { entityId: putin.id });
    const same = await expectNoChange(() => patch(ana, created.id, { json: { version: 1, entityType: "PER", ...span("Putin") } }));
    expect(same.status).toBe(200);
    expect(same.body.version).toBe(1);
    expect(expectApiError(await expectNoChange(() => patch(ana, created.id, { json: { version: 1 } })), 422).message).toContain("Nothing to change");
    expect(expectApiError(await expectNoChange(() => patch(ana, created.id, { json: { entityType: "ORG" } })), 422).message).toContain("version");
    expect(expectApiError(await expectNoChange(() => patch(ana, created.id, { json: { version: 1.5, entityType: "ORG" } })), 422).message).toContain("version");
    expectApiError(await expectNoChange(() => patch(ana, created.id, { body: "{version: 1}", headers: { "content-type": "application/json" } })), 400);
  });

  test("someone else's annotation: 404 for those who cannot see it, 403 for reviewers who can; nothing changes", async () => {
    const article = await newArticle();
    const anas = await buildMention(ana, article, "Putin", { entityId: putin.id });
    const body = { json: { version: 1, entityType: "ORG" } };
    const asBen = expectApiError(await expectNoChange(() => patch(ben, anas.id, body)), 404);
    const unknown = expectApiError(await expectNoChange(() => patch(ben, "no-such-annotation", body)), 404);
    expect(asBen).toEqual(unknown);
    expectApiError(await expectNoChange(() => patch(outsider, anas.id, body)), 404);
    expect(expectApiError(await expectNoChange(() => patch(reviewer, anas.id, body)), 403).code).toBe("forbidden");
    expectApiError(await expectNoChange(() => patch(owner, anas.id, body)), 403);
    // Access is settled before the body is read.
    expectApiError(await expectNoChange(() => patch(ben, anas.id, { body: "{nonsense" })), 404);
    expectApiError(await expectNoChange(() => patch(reviewer, anas.id, { json: { nonsense: true } })), 403);
  });

  test("annotators cannot change gold annotations: 403 (reviewers and owners can, see review.test.ts)", async () => {
    const article = await newArticle();
    const gold = await buildGoldMention(reviewer, article, "Putin", putin.id);
    for (const user of [ana, ben]) expectApiError(await expectNoChange(() => patch(user, gold.id, { json: { version: 1, entityType: "ORG" } })), 403);
    expectApiError(await expectNoChange(() => remove(ana, gold.id)), 403);
  });

  test("a deleted annotation must be restored before it is changed (409)", async () => {
    const article = await newArticle();
    const created = await buildMention(ana, article, "Putin", { entityId: putin.id });
    const deleted = await remove(ana, created.id);
    expect(expectApiError(await expectNoChange(() => patch(ana, created.id, { json: { version: deleted.body.version, entityType: "ORG" } })), 409).code).toBe("conflict");
  });
});

describe("DELETE /api/annotations/:id and POST /api/annotations/:id/restore", () => {
  test("delete, restore and patch back: the UI's undo", async () => {
    const article = await newArticle();
    const created = await buildMention(ana, article, "Vladimir Putin", { entityId: putin.id });
    const auditBefore = await db.auditEvent.count();

    const deleted = await remove(ana, created.id, "?version=1");
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ id: created.id, version: 2, deletedAt: expect.any(String) });
    expect(await db.annotation.findUnique({ where: { id: created.id }, select: { deletedAt: true } })).toEqual({ deletedAt: expect.any(Date) });
    expect((await list(ana, article.id)).body.annotations).toEqual([]);

    const restored = await restore(ana, created.id, "?version=2");
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ id: created.id, version: 3, deletedAt: null, quote: "Vladimir Putin" });
    expect((await list(ana, article.id)).body.annotations).toEqual([restored.body]);

    const moved = await patch(ana, created.id, { json: { version: 3, ...span("Putin") } });
    const movedBack = await patch(ana, created.id, { json: { version: 4, ...span("Vladimir Putin") } });
    expect(movedBack.body).toMatchObject({ version: 5, quote: "Vladimir Putin" });
    expect(moved.status).toBe(200);

    const audit = await db.auditEvent.findMany({ where: { id: { gt: BigInt(auditBefore) } }, orderBy: { id: "asc" } });
    expect(audit.map((event) => event.action)).toEqual(["annotation.delete", "annotation.restore", "annotation.update", "annotation.update"]);
    expect(audit[0]!.before).toMatchObject({ deletedAt: null, version: 1 });
    expect(audit[0]!.after).toMatchObject({ deletedAt: expect.any(String), version: 2 });
  });

  test("delete without ?version works; a stale ?version is 409; a bad one is 422; nothing changes", async () => {
    const article = await newArticle();
    const first = await buildMention(ana, article, "Putin", { entityId: putin.id });
    const second = await buildMention(ana, article, "Hollande", { entityId: hollande.id });
    await patch(ana, first.id, { json: { version: 1, entityType: "ORG" } });
    const stale = expectApiError(await expectNoChange(() => remove(ana, first.id, "?version=1")), 409);
    expect(stale.code).toBe("stale_version");
    expectApiError(await expectNoChange(() => remove(ana, first.id, "?version=two")), 422);
    expectApiError(await expectNoChange(() => remove(ana, first.id, "?version=0")), 422);
    expect((await remove(ana, second.id)).status).toBe(200);
  });

  test("deleting twice or restoring a live annotation is 409", async () => {
    const article = await newArticle();
    const created = await buildMention(ana, article, "Putin", { entityId: putin.id });
    expectApiError(await expectNoChange(() => restore(ana, created.id)), 409);
    await remove(ana, created.id);
    expectApiError(await expectNoChange(() => remove(ana, created.id)), 409);
    const restoredStale = expectApiError(await expectNoChange(() => restore(ana, created.id, "?version=1")), 409);
    expect(restoredStale.code).toBe("stale_version");
  });

  test("deleting is the owner's alone (404 for ben and outsiders, 403 for reviewers); restoring is the owner's or a reviewer's", async () => {
    const article = await newArticle();
    const anas = await buildMention(ana, article, "Putin", { entityId: putin.id });
    expectApiError(await expectNoChange(() => remove(ben, anas.id)), 404);
    expectApiError(await expectNoChange(() => remove(outsider, anas.id)), 404);
    expectApiError(await expectNoChange(() => remove(reviewer, anas.id)), 403);
    expectApiError(await expectNoChange(() => remove(owner, anas.id, "?version=nonsense")), 403);
    await remove(ana, anas.id);
    expectApiError(await expectNoChange(() => restore(ben, anas.id)), 404);
    expectApiError(await expectNoChange(() => restore(outsider, anas.id)), 404);
    // A reviewer may bring back an annotator's deleted work (issue 7: restore by its owner or a reviewer).
    expect((await restore(reviewer, anas.id)).status).toBe(200);
  });
});

describe("PUT /api/articles/:id/status", () => {
  test("sets my status, returns {status}, audits the change, and shows in the article list", async () => {
    const article = await newArticle();
    const auditBefore = await db.auditEvent.count();
    const response = await putStatus(ben, article.id, { json: { status: "FINISHED" } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: "FINISHED" });
    const audit = await db.auditEvent.findMany({ where: { id: { gt: BigInt(auditBefore) } } });
    expect(audit).toMatchObject([{ action: "article.status", objectId: article.id, actorId: ben.id, before: { userId: ben.id, status: "NEW" }, after: { userId: ben.id, status: "FINISHED" } }]);

    const articles = await callRoute(listArticlesRoute, "GET", `/api/projects/${projectId}/articles`, { params: { id: projectId }, as: ben.cookie });
    const listed = articles.body.articles.find((entry: { id: string }) => entry.id === article.id);
    expect(listed.progress).toEqual([expect.objectContaining({ userId: ben.id, status: "FINISHED" })]);

    // Setting the same status again changes nothing.
    expect((await expectNoChange(() => putStatus(ben, article.id, { json: { status: "FINISHED" } }))).body).toEqual({ status: "FINISHED" });
    expect((await putStatus(ben, article.id, { json: { status: "IN_PROGRESS" } })).body).toEqual({ status: "IN_PROGRESS" });
  });

  test("a bad status is 422, malformed JSON 400, an outsider 404; nothing changes", async () => {
    const article = await newArticle();
    expect(expectApiError(await expectNoChange(() => putStatus(ana, article.id, { json: { status: "DONE" } })), 422).message).toContain("NEW, IN_PROGRESS, FINISHED");
    expectApiError(await expectNoChange(() => putStatus(ana, article.id, { body: "status=FINISHED" })), 400);
    expectApiError(await expectNoChange(() => putStatus(outsider, article.id, { json: { status: "FINISHED" } })), 404);
  });
});
