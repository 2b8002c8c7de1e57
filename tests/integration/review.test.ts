import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { beforeAll, describe, expect, test } from "vitest";
import { DELETE as deleteAnnotationRoute, PATCH as patchAnnotationRoute } from "@/app/api/annotations/[id]/route";
import { POST as restoreAnnotationRoute } from "@/app/api/annotations/[id]/restore/route";
import { GET as listAnnotationsRoute } from "@/app/api/articles/[id]/annotations/route";
import { POST as acceptAgreedRoute } from "@/app/api/articles/[id]/gold/accept-agreed/route";
import { POST as goldRoute } from "@/app/api/articles/[id]/gold/route";
import { POST as reviewNotesRoute } from "@/app/api/articles/[id]/review-notes/route";
import { PUT as reviewStatusRoute } from "@/app/api/articles/[id]/review-status/route";
import { GET as reviewRoute } from "@/app/api/articles/[id]/review/route";
import { PUT as annotatorStatusRoute } from "@/app/api/articles/[id]/status/route";
import { POST as mergeEntitiesRoute } from "@/app/api/entities/[id]/merge/route";
import { GET as listArticlesRoute } from "@/app/api/projects/[id]/articles/route";
import { db } from "@/lib/db";
import { comparisonGroupKey } from "@/lib/review/group-key";
import type { ArticleReviewJson, ComparisonGroup } from "@/lib/review/types";
import { deleteAnnotation } from "@/lib/server/annotations/delete-annotation";
import { applyPendingMigrations } from "@/lib/server/db/migrate";
import { migrationsDir } from "@/lib/server/db/schema-engine";
import { loadProjectAgreementInput } from "@/lib/server/review/agreement-input";
import { callRoute, expectApiError, type ApiResponse, type CallOptions } from "../helpers/api";
import { buildArticle, buildEntity, buildMention, buildProject, buildStance, buildUser, type TestUser } from "../helpers/factories";

/*
 * Review through the public API: the comparison of annotators' layers, the gold layer (copy, full body, accept
 * agreed, edit), review notes and decisions, the article's review status, and the agreement input. One project
 * with an owner, a reviewer and three annotators (ana, ben, cai) for the whole file; each test makes its own
 * article. Reviewers and owners review; annotators get 403 and outsiders 404 on every review route.
 */

const articleText = "Vladimir Putin met Francois Hollande in Moscow.\nHollande said Putin was wrong about Syria.\nThey talked about Syria and the Islamic State.";

let owner: TestUser;
let reviewer: TestUser;
let ana: TestUser;
let ben: TestUser;
let cai: TestUser;
let outsider: TestUser;
let projectId: string;
let putin: { id: string };
let hollande: { id: string };
let moscow: { id: string };
let syria: { id: string };
let foreignArticle: { id: string; text: string };

beforeAll(async () => {
  [owner, reviewer, ana, ben, cai, outsider] = await Promise.all([
    buildUser({ name: "Olga Owner" }),
    buildUser({ name: "Rita Reviewer" }),
    buildUser({ name: "Ana" }),
    buildUser({ name: "Ben" }),
    buildUser({ name: "Cai" }),
    buildUser(),
  ]);
  const project = await buildProject(owner, [
    { user: reviewer, role: "reviewer" },
    { user: ana, role: "annotator" },
    { user: ben, role: "annotator" },
    { user: cai, role: "annotator" },
  ]);
  projectId = project.id;
  putin = await buildEntity(owner, projectId, { name: "Vladimir Putin", type: "PER", aliases: ["Putin"] });
  hollande = await buildEntity(owner, projectId, { name: "Francois Hollande", type: "PER", aliases: ["Hollande"] });
  moscow = await buildEntity(owner, projectId, { name: "Moscow", type: "LOC" });
  syria = await buildEntity(owner, projectId, { name: "Syria", type: "LOC" });
  const otherProject = await buildProject(outsider, [{ user: reviewer, role: "reviewer" }]);
  foreignArticle = await buildArticle(outsider, otherProject.id, { text: articleText });
});

/** The span of the `occurrence`-th appearance of `quote` in the article text. */
function span(quote: string, occurrence = 0) {
  let start = -1;
  for (let seen = 0; seen <= occurrence; seen++) start = articleText.indexOf(quote, start + 1);
  if (start < 0) throw new Error(`${quote} not in text`);
  return { start, end: start + quote.length, quote };
}

const stanceQuote = "Hollande said Putin was wrong about Syria";

/**
 * An article where ana and ben agree on "Moscow" and differ on everything else: the boundary of Putin, the type of
 * Hollande, a missing Syria (ben has none) and the polarity of a stance.
 */
async function articleWithDisagreements() {
  const article = await buildArticle(owner, projectId, { text: articleText });
  const anas = {
    putin: await buildMention(ana, article, "Vladimir Putin", { entityId: putin.id }),
    hollande: await buildMention(ana, article, "Francois Hollande", { entityId: hollande.id }),
    moscow: await buildMention(ana, article, "Moscow", { entityId: moscow.id }),
    stance: await buildStance(ana, article, stanceQuote, { holderEntityId: hollande.id, targetEntityId: putin.id, polarity: "AGAINST" }),
    syria: await buildMention(ana, article, "Syria", { entityId: syria.id }),
  };
  const bens = {
    putin: await buildMention(ben, article, "Putin", { entityId: putin.id }),
    hollande: await buildMention(ben, article, "Francois Hollande", { entityId: hollande.id, entityType: "ORG" }),
    moscow: await buildMention(ben, article, "Moscow", { entityId: moscow.id }),
    stance: await buildStance(ben, article, stanceQuote, { holderEntityId: hollande.id, targetEntityId: putin.id, polarity: "FAVOR" }),
  };
  return { article, anas, bens };
}

function call(handler: Parameters<typeof callRoute>[0], method: string, url: string, articleId: string, user: TestUser | null, options: Omit<CallOptions, "as" | "params"> = {}) {
  return callRoute(handler, method, url, { params: { id: articleId }, as: user?.cookie ?? null, ...options });
}

const getReview = (user: TestUser | null, articleId: string): Promise<ApiResponse<ArticleReviewJson>> => call(reviewRoute, "GET", `/api/articles/${articleId}/review`, articleId, user);
const postGold = (user: TestUser | null, articleId: string, options: Omit<CallOptions, "as" | "params">) => call(goldRoute, "POST", `/api/articles/${articleId}/gold`, articleId, user, options);
const acceptAgreed = (user: TestUser | null, articleId: string) => call(acceptAgreedRoute, "POST", `/api/articles/${articleId}/gold/accept-agreed`, articleId, user);
const putReviewStatus = (user: TestUser | null, articleId: string, options: Omit<CallOptions, "as" | "params">) =>
  call(reviewStatusRoute, "PUT", `/api/articles/${articleId}/review-status`, articleId, user, options);
const postNote = (user: TestUser | null, articleId: string, options: Omit<CallOptions, "as" | "params">) => call(reviewNotesRoute, "POST", `/api/articles/${articleId}/review-notes`, articleId, user, options);

function patchAnnotation(user: TestUser, annotationId: string, json: unknown) {
  return callRoute(patchAnnotationRoute, "PATCH", `/api/annotations/${annotationId}`, { params: { id: annotationId }, as: user.cookie, json });
}

function deleteAnnotationAs(user: TestUser, annotationId: string, query = "") {
  return callRoute(deleteAnnotationRoute, "DELETE", `/api/annotations/${annotationId}${query}`, { params: { id: annotationId }, as: user.cookie });
}

function restoreAnnotationAs(user: TestUser, annotationId: string) {
  return callRoute(restoreAnnotationRoute, "POST", `/api/annotations/${annotationId}/restore`, { params: { id: annotationId }, as: user.cookie });
}

function listLayer(user: TestUser, articleId: string, layer: string) {
  return callRoute(listAnnotationsRoute, "GET", `/api/articles/${articleId}/annotations?layer=${layer}`, { params: { id: articleId }, as: user.cookie });
}

/** Every row a review write may touch. */
async function snapshot() {
  const [annotations, notes, audit, articles, entities] = await Promise.all([
    db.annotation.findMany({ orderBy: { id: "asc" } }),
    db.reviewNote.findMany({ orderBy: { id: "asc" } }),
    db.auditEvent.count(),
    db.article.findMany({ orderBy: { id: "asc" }, select: { id: true, reviewStatus: true, updatedAt: true } }),
    db.entity.count(),
  ]);
  return { annotations, notes, audit, articles, entities };
}

/** Runs `write` and asserts that nothing changed in the database. */
async function expectNoChange<T>(write: () => Promise<ApiResponse<T>>): Promise<ApiResponse<T>> {
  const before = await snapshot();
  const response = await write();
  expect(await snapshot()).toEqual(before);
  return response;
}

/** A group in a form a test can compare: its members by annotator name. */
function summarize(group: ComparisonGroup) {
  const nameOf = new Map([ana, ben, cai].map((user) => [user.id, user.name]));
  return {
    kind: group.kind,
    quote: articleText.slice(group.start, group.end),
    status: group.status,
    differences: group.differences,
    members: Object.fromEntries(Object.entries(group.members).map(([userId, member]) => [nameOf.get(userId), member?.id ?? null])),
  };
}

function groupOf(review: ArticleReviewJson, memberId: string): ComparisonGroup {
  const group = review.groups.find((candidate) => Object.values(candidate.members).some((member) => member?.id === memberId));
  if (!group) throw new Error(`no group holds ${memberId}`);
  return group;
}

const liveGold = (articleId: string) => db.annotation.count({ where: { articleId, layer: "gold", deletedAt: null } });

describe("GET /api/articles/:id/review", () => {
  test("reviewers and owners see the annotators, the comparison groups by position, the gold layer and the notes", async () => {
    const { article, anas, bens } = await articleWithDisagreements();
    for (const user of [reviewer, owner]) {
      const response = await getReview(user, article.id);
      expect(response.status).toBe(200);
      const review = response.body;
      expect(review.article).toEqual({ id: article.id, title: article.title, version: 1, reviewStatus: "NEEDS_REVIEW" });
      expect(review.annotators).toEqual([
        { id: ana.id, name: "Ana", email: ana.email, status: "IN_PROGRESS" },
        { id: ben.id, name: "Ben", email: ben.email, status: "IN_PROGRESS" },
      ]);
      expect(review.groups.map(summarize)).toEqual([
        { kind: "entity", quote: "Vladimir Putin", status: "disagreed", differences: ["boundary"], members: { Ana: anas.putin.id, Ben: bens.putin.id } },
        { kind: "entity", quote: "Francois Hollande", status: "disagreed", differences: ["type"], members: { Ana: anas.hollande.id, Ben: bens.hollande.id } },
        { kind: "entity", quote: "Moscow", status: "agreed", differences: [], members: { Ana: anas.moscow.id, Ben: bens.moscow.id } },
        { kind: "stance", quote: stanceQuote, status: "disagreed", differences: ["polarity"], members: { Ana: anas.stance.id, Ben: bens.stance.id } },
        { kind: "entity", quote: "Syria", status: "disagreed", differences: ["missing"], members: { Ana: anas.syria.id, Ben: null } },
      ]);
      const moscowGroup = groupOf(review, anas.moscow.id);
      expect(moscowGroup).toMatchObject({ key: comparisonGroupKey("entity", [anas.moscow.id, bens.moscow.id]), gold: null, rejected: false, settled: false });
      expect(moscowGroup.members[ana.id]).toEqual(anas.moscow);
      expect(review.gold).toEqual([]);
      expect(review.notes).toEqual([]);
    }
  });

  test("an annotator who marked the article FINISHED without annotating takes part: missing from every group", async () => {
    const { article } = await articleWithDisagreements();
    const finished = await call(annotatorStatusRoute, "PUT", `/api/articles/${article.id}/status`, article.id, cai, { json: { status: "FINISHED" } });
    expect(finished.status).toBe(200);
    const review = (await getReview(reviewer, article.id)).body;
    expect(review.annotators.map((annotator) => [annotator.name, annotator.status])).toEqual([
      ["Ana", "IN_PROGRESS"],
      ["Ben", "IN_PROGRESS"],
      ["Cai", "FINISHED"],
    ]);
    expect(review.groups.every((group) => group.members[cai.id] === null && group.differences.includes("missing") && group.status === "disagreed")).toBe(true);
  });

  test("deleted annotations are left out; an article nobody annotated has no groups", async () => {
    const { article, anas } = await articleWithDisagreements();
    await deleteAnnotation({ userId: ana.id, annotationId: anas.syria.id });
    const review = (await getReview(reviewer, article.id)).body;
    expect(review.groups.map((group) => articleText.slice(group.start, group.end))).not.toContain("Syria");
    const empty = await buildArticle(owner, projectId, { text: articleText });
    expect((await getReview(reviewer, empty.id)).body).toMatchObject({ annotators: [], groups: [], gold: [], notes: [] });
  });

  test("annotators get 403 without any of the review data; outsiders and unknown articles 404; no session 401", async () => {
    const { article } = await articleWithDisagreements();
    for (const user of [ana, ben, cai]) {
      const response = await getReview(user, article.id);
      expect(expectApiError(response, 403).message).toContain("reviewers and owners");
      expect(JSON.stringify(response.body)).not.toContain(article.id);
      expect(JSON.stringify(response.body)).not.toMatch(new RegExp(`${ana.id}|${ben.id}`));
    }
    const hidden = expectApiError(await getReview(outsider, article.id), 404);
    expect(expectApiError(await getReview(reviewer, "no-such-article"), 404)).toEqual(hidden);
    expectApiError(await getReview(null, article.id), 401);
  });
});

describe("POST /api/articles/:id/gold", () => {
  test("{annotationId} copies an annotator's annotation into gold: 201, derivedFromIds, the reviewer as author, audited, IN_REVIEW", async () => {
    const { article, anas } = await articleWithDisagreements();
    const auditBefore = await db.auditEvent.count();
    const response = await postGold(reviewer, article.id, { json: { annotationId: anas.hollande.id } });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      ...anas.hollande,
      id: expect.any(String),
      layer: "gold",
      userId: null,
      annotator: null,
      version: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      derivedFromIds: [anas.hollande.id],
    });
    const row = await db.annotation.findUniqueOrThrow({ where: { id: response.body.id } });
    expect(row).toMatchObject({ createdById: reviewer.id, updatedById: reviewer.id, derivedFromIds: [anas.hollande.id], articleVersionId: article.versionId });

    const audit = await db.auditEvent.findMany({ where: { id: { gt: BigInt(auditBefore) } }, orderBy: { id: "asc" } });
    expect(audit.map((event) => [event.action, event.objectId, event.actorId, event.projectId])).toEqual([
      ["annotation.create", response.body.id, reviewer.id, projectId],
      ["article.review_status", article.id, reviewer.id, projectId],
    ]);
    expect(audit[0]!.after).toEqual(response.body);
    expect(audit[1]!.after).toEqual({ reviewStatus: "IN_REVIEW" });

    const review = (await getReview(reviewer, article.id)).body;
    expect(review.article.reviewStatus).toBe("IN_REVIEW");
    expect(review.gold).toEqual([response.body]);
    expect(groupOf(review, anas.hollande.id)).toMatchObject({ gold: { id: response.body.id }, settled: true, status: "disagreed" });
  });

  test("annotators see gold items through GET /api/articles/:id/annotations?layer=gold, and not in their own layer", async () => {
    const { article, bens } = await articleWithDisagreements();
    const gold = (await postGold(owner, article.id, { json: { annotationId: bens.putin.id } })).body;
    const { derivedFromIds: _derivedFromIds, ...plain } = gold;
    for (const user of [ana, ben, cai]) {
      const response = await listLayer(user, article.id, "gold");
      expect(response.status).toBe(200);
      expect(response.body.annotations).toEqual([plain]);
    }
    expect((await listLayer(ana, article.id, "mine")).body.annotations.map((annotation: { id: string }) => annotation.id)).not.toContain(gold.id);
  });

  test("a full annotation body creates a gold item directly, optionally derived from annotator annotations", async () => {
    const { article, anas, bens } = await articleWithDisagreements();
    const byName = await postGold(reviewer, article.id, { json: { kind: "entity", ...span("Islamic State"), entityType: "MISC", entityName: "Islamic State" } });
    expect(byName.status).toBe(201);
    expect(byName.body).toMatchObject({ layer: "gold", kind: "entity", entityType: "MISC", entity: { name: "Islamic State", type: "MISC" }, derivedFromIds: [] });

    const settled = await postGold(reviewer, article.id, {
      json: { kind: "stance", ...span(stanceQuote), holderEntityId: hollande.id, targetEntityId: putin.id, polarity: "AGAINST", derivedFromIds: [anas.stance.id, bens.stance.id] },
    });
    expect(settled.status).toBe(201);
    expect(settled.body).toMatchObject({ layer: "gold", kind: "stance", polarity: "AGAINST", holderEntityId: hollande.id, derivedFromIds: [anas.stance.id, bens.stance.id] });
    const review = (await getReview(reviewer, article.id)).body;
    expect(groupOf(review, bens.stance.id)).toMatchObject({ gold: { id: settled.body.id }, settled: true });
    expect(review.gold.map((item) => item.id)).toEqual([settled.body.id, byName.body.id]);
  });

  test("a repeated idempotencyKey returns the first gold item with 200 and creates nothing", async () => {
    const { article, anas } = await articleWithDisagreements();
    const first = await postGold(reviewer, article.id, { json: { annotationId: anas.moscow.id, idempotencyKey: "settle-moscow" } });
    expect(first.status).toBe(201);
    const again = await expectNoChange(() => postGold(reviewer, article.id, { json: { annotationId: anas.moscow.id, idempotencyKey: "settle-moscow" } }));
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const reused = await expectNoChange(() => postGold(reviewer, article.id, { json: { annotationId: anas.putin.id, idempotencyKey: "settle-moscow" } }));
    expect(reused.status).toBe(200);
    expect(reused.body.id).toBe(first.body.id);
  });

  test("settling a group twice is 409 conflict with the existing gold item, whichever member or body names it", async () => {
    const { article, anas, bens } = await articleWithDisagreements();
    const first = await postGold(reviewer, article.id, { json: { annotationId: anas.moscow.id } });
    expect(first.status).toBe(201);
    for (const json of [
      { annotationId: anas.moscow.id },
      { annotationId: bens.moscow.id },
      { kind: "entity", ...span("Moscow"), entityId: moscow.id },
      // Other labels, but derived from the same annotation.
      { kind: "entity", ...span("Moscow"), entityType: "PER", entityId: moscow.id, derivedFromIds: [anas.moscow.id] },
    ]) {
      const response = await expectNoChange(() => postGold(owner, article.id, { json }));
      const error = expectApiError(response, 409);
      expect(error.code).toBe("conflict");
      expect(error.message).toContain("Reload");
      expect(response.body.error.details.annotation).toMatchObject({ id: first.body.id, layer: "gold", derivedFromIds: [anas.moscow.id] });
    }
    expect(await liveGold(article.id)).toBe(1);
  });

  test("two reviewers settling the same group at once: one 201, one 409, exactly one gold row", async () => {
    const { article, anas, bens } = await articleWithDisagreements();
    const cases = [
      [{ annotationId: anas.moscow.id }, { annotationId: anas.moscow.id }],
      [{ annotationId: anas.putin.id }, { kind: "entity", ...span("Vladimir Putin"), entityId: putin.id }],
      [{ annotationId: bens.stance.id }, { annotationId: bens.stance.id, idempotencyKey: "owner-stance" }],
      // Other labels but the same source annotation: only the article lock, not the unique index, tells these apart.
      [{ annotationId: anas.hollande.id }, { kind: "entity", ...span("Francois Hollande"), entityType: "MISC", entityId: hollande.id, derivedFromIds: [anas.hollande.id] }],
    ];
    for (const [mine, theirs] of cases) {
      const before = await liveGold(article.id);
      const responses = await Promise.all([postGold(reviewer, article.id, { json: mine }), postGold(owner, article.id, { json: theirs })]);
      expect(responses.map((response) => response.status).sort()).toEqual([201, 409]);
      const created = responses.find((response) => response.status === 201)!;
      const refused = responses.find((response) => response.status === 409)!;
      expect(expectApiError(refused, 409).code).toBe("conflict");
      expect(refused.body.error.details.annotation.id).toBe(created.body.id);
      expect(await liveGold(article.id)).toBe(before + 1);
    }
    // Five concurrent copies of ana's and ben's identical Moscow mentions on a fresh article.
    const fresh = await articleWithDisagreements();
    const burst = await Promise.all(
      [reviewer, owner, reviewer, owner, reviewer].map((user, index) => postGold(user, fresh.article.id, { json: { annotationId: index % 2 ? fresh.anas.moscow.id : fresh.bens.moscow.id } })),
    );
    expect(burst.map((response) => response.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(await db.annotation.count({ where: { articleId: fresh.article.id, layer: "gold" } })).toBe(1);
  });

  test("IN_REVIEW is set only from NEEDS_REVIEW: a REVIEWED article stays REVIEWED", async () => {
    const { article, anas } = await articleWithDisagreements();
    await putReviewStatus(reviewer, article.id, { json: { status: "REVIEWED" } });
    expect((await postGold(reviewer, article.id, { json: { annotationId: anas.moscow.id } })).status).toBe(201);
    expect((await db.article.findUniqueOrThrow({ where: { id: article.id } })).reviewStatus).toBe("REVIEWED");
  });

  describe("bad input is refused and changes nothing", () => {
    test.each([
      ["an annotation of another article of the project", 404, "otherArticle", "no annotation"],
      ["an annotation of another project", 404, "foreign", "no annotation"],
      ["an unknown annotation", 404, "unknown", "no annotation"],
      ["a deleted annotation", 422, "deleted", "deleted"],
      ["a gold annotation", 422, "gold", "already in the gold layer"],
    ] as const)("{annotationId} naming %s: %i", async (_label, status, which, message) => {
      const { article, anas, bens } = await articleWithDisagreements();
      const other = await articleWithDisagreements();
      const foreign = await buildMention(outsider, foreignArticle, "Moscow", { entityType: "LOC", entityName: "Moscow" });
      await deleteAnnotation({ userId: ana.id, annotationId: anas.syria.id });
      const gold = (await postGold(reviewer, article.id, { json: { annotationId: bens.moscow.id } })).body;
      const ids = { otherArticle: other.anas.putin.id, foreign: foreign.id, unknown: "no-such-annotation", deleted: anas.syria.id, gold: gold.id };
      const response = await expectNoChange(() => postGold(reviewer, article.id, { json: { annotationId: ids[which] } }));
      expect(expectApiError(response, status).message).toContain(message);
    });

    test.each([
      ["derivedFromIds of another article", "derivedFromIds"],
      ["a span that does not fit the text", "Quote"],
      ["an unknown entity type", "entityType"],
      ["annotationId together with a body", "not both"],
      ["neither annotationId nor kind", "kind"],
    ] as const)("%s: 422", async (label, message) => {
      const { article } = await articleWithDisagreements();
      const other = await articleWithDisagreements();
      const bodies: Record<typeof label, unknown> = {
        "derivedFromIds of another article": { kind: "entity", ...span("Moscow"), entityId: moscow.id, derivedFromIds: [other.anas.moscow.id] },
        "a span that does not fit the text": { kind: "entity", ...span("Moscow"), quote: "Moskau", entityId: moscow.id },
        "an unknown entity type": { kind: "entity", ...span("Moscow"), entityType: "CITY", entityName: "Moscow" },
        "annotationId together with a body": { annotationId: other.anas.moscow.id, kind: "entity" },
        "neither annotationId nor kind": { derivedFromIds: [] },
      };
      const response = await expectNoChange(() => postGold(reviewer, article.id, { json: bodies[label] }));
      expect(expectApiError(response, 422).message.toLowerCase()).toContain(message.toLowerCase());
    });

    test("malformed JSON is 400; an annotator 403 and an outsider 404 whatever the body; no session 401", async () => {
      const { article, anas } = await articleWithDisagreements();
      const malformed = await expectNoChange(() => postGold(reviewer, article.id, { body: '{"annotationId": ', headers: { "content-type": "application/json" } }));
      expect(expectApiError(malformed, 400).code).toBe("invalid_json");
      for (const user of [ana, ben]) expectApiError(await expectNoChange(() => postGold(user, article.id, { json: { annotationId: anas.moscow.id } })), 403);
      expectApiError(await expectNoChange(() => postGold(outsider, article.id, { json: { annotationId: anas.moscow.id } })), 404);
      expectApiError(await expectNoChange(() => postGold(outsider, article.id, { body: "{nonsense" })), 404);
      expectApiError(await expectNoChange(() => postGold(ana, article.id, { body: "{nonsense" })), 403);
      expectApiError(await expectNoChange(() => postGold(null, article.id, { json: { annotationId: anas.moscow.id } })), 401);
    });
  });
});

describe("POST /api/articles/:id/gold/accept-agreed", () => {
  test("puts every agreed, unsettled group into gold in one go, derived from all members; a second run creates nothing", async () => {
    const { article, anas, bens } = await articleWithDisagreements();
    const anaState = await buildMention(ana, article, "Islamic State", { entityType: "MISC", entityName: "Islamic State" });
    const benState = await buildMention(ben, article, "Islamic State", { entityType: "MISC", entityName: "Islamic State" });
    const anaSyria = await buildMention(ana, article, "Syria", { entityId: syria.id }, 1);
    const benSyria = await buildMention(ben, article, "Syria", { entityId: syria.id }, 1);
    // Agreed groups: Moscow (settled below), the second Syria (rejected below), Islamic State.
    await postGold(reviewer, article.id, { json: { annotationId: bens.moscow.id } });
    const syriaKey = comparisonGroupKey("entity", [anaSyria.id, benSyria.id]);
    expect((await postNote(reviewer, article.id, { json: { groupKey: syriaKey, decision: "rejected" } })).status).toBe(201);
    const auditBefore = await db.auditEvent.count();

    const response = await acceptAgreed(owner, article.id);
    expect(response.status).toBe(201);
    expect(response.body.skipped).toBe(2);
    expect(response.body.created).toEqual([
      expect.objectContaining({ layer: "gold", userId: null, quote: "Islamic State", entityType: "MISC", entityId: anaState.entityId, derivedFromIds: [anaState.id, benState.id] }),
    ]);
    const audit = await db.auditEvent.findMany({ where: { id: { gt: BigInt(auditBefore) } }, orderBy: { id: "asc" } });
    expect(audit.map((event) => [event.action, event.objectId, event.actorId])).toEqual([["annotation.create", response.body.created[0].id, owner.id]]);
    expect(audit[0]!.after).toEqual(response.body.created[0]);

    const review = (await getReview(reviewer, article.id)).body;
    expect(review.groups.filter((group) => group.status === "agreed").every((group) => group.settled)).toBe(true);
    expect(review.groups.filter((group) => group.status === "disagreed").map((group) => group.settled)).toEqual([false, false, false, false]);
    expect(groupOf(review, anas.moscow.id).gold?.derivedFromIds).toEqual([bens.moscow.id]);

    const again = await expectNoChange(() => acceptAgreed(reviewer, article.id));
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ created: [], skipped: 3 });
  });

  test("moves the article to IN_REVIEW; an article with nothing agreed answers {created: [], skipped: 0} and stays NEEDS_REVIEW", async () => {
    const { article } = await articleWithDisagreements();
    expect((await acceptAgreed(reviewer, article.id)).body.created).toHaveLength(1);
    expect((await db.article.findUniqueOrThrow({ where: { id: article.id } })).reviewStatus).toBe("IN_REVIEW");
    const empty = await buildArticle(owner, projectId, { text: articleText });
    const response = await expectNoChange(() => acceptAgreed(reviewer, empty.id));
    expect(response.body).toEqual({ created: [], skipped: 0 });
    expect((await db.article.findUniqueOrThrow({ where: { id: empty.id } })).reviewStatus).toBe("NEEDS_REVIEW");
  });

  test("annotators get 403, outsiders 404, no session 401; nothing changes", async () => {
    const { article } = await articleWithDisagreements();
    expectApiError(await expectNoChange(() => acceptAgreed(ana, article.id)), 403);
    expectApiError(await expectNoChange(() => acceptAgreed(outsider, article.id)), 404);
    expectApiError(await expectNoChange(() => acceptAgreed(null, article.id)), 401);
  });
});

describe("editing gold items: PATCH and DELETE /api/annotations/:id", () => {
  test("reviewers and owners change a gold item with the optimistic version; a stale version is 409 and tells to reload", async () => {
    const { article, anas } = await articleWithDisagreements();
    const gold = (await postGold(reviewer, article.id, { json: { annotationId: anas.hollande.id } })).body;
    const relabelled = await patchAnnotation(owner, gold.id, { version: 1, entityType: "ORG" });
    expect(relabelled.status).toBe(200);
    expect(relabelled.body).toMatchObject({ id: gold.id, layer: "gold", entityType: "ORG", entityId: hollande.id, version: 2 });
    const moved = await patchAnnotation(reviewer, gold.id, { version: 2, ...span("Hollande") });
    expect(moved.body).toMatchObject({ ...span("Hollande"), version: 3 });
    expect((await db.annotation.findUniqueOrThrow({ where: { id: gold.id } })).updatedById).toBe(reviewer.id);

    const stale = await expectNoChange(() => patchAnnotation(owner, gold.id, { version: 2, entityType: "PER" }));
    const error = expectApiError(stale, 409);
    expect(error.message).toContain("Reload");
    expect(stale.body.error.details).toMatchObject({ currentVersion: 3, annotation: { id: gold.id, version: 3 } });
    expectApiError(await expectNoChange(() => deleteAnnotationAs(owner, gold.id, "?version=1")), 409);

    const deleted = await deleteAnnotationAs(owner, gold.id, "?version=3");
    expect(deleted.status).toBe(200);
    expect(deleted.body.deletedAt).toEqual(expect.any(String));
    expect((await getReview(reviewer, article.id)).body.gold).toEqual([]);
    expect(groupOf((await getReview(reviewer, article.id)).body, anas.hollande.id).settled).toBe(false);
    const restored = await restoreAnnotationAs(reviewer, gold.id);
    expect(restored.body).toMatchObject({ id: gold.id, deletedAt: null, version: 5 });
  });

  test("annotators get 403 on gold items (patch, delete, restore), outsiders 404; nothing changes", async () => {
    const { article, anas } = await articleWithDisagreements();
    const gold = (await postGold(reviewer, article.id, { json: { annotationId: anas.moscow.id } })).body;
    for (const user of [ana, ben]) {
      expect(expectApiError(await expectNoChange(() => patchAnnotation(user, gold.id, { version: 1, entityType: "ORG" })), 403).message).toContain("gold layer");
      expectApiError(await expectNoChange(() => deleteAnnotationAs(user, gold.id)), 403);
    }
    expectApiError(await expectNoChange(() => patchAnnotation(outsider, gold.id, { version: 1, entityType: "ORG" })), 404);
    expectApiError(await expectNoChange(() => deleteAnnotationAs(outsider, gold.id)), 404);
    await deleteAnnotationAs(reviewer, gold.id);
    expectApiError(await expectNoChange(() => restoreAnnotationAs(ana, gold.id)), 403);
  });

  test("reviewers still cannot change an annotator's own layer (403)", async () => {
    const { anas } = await articleWithDisagreements();
    expectApiError(await expectNoChange(() => patchAnnotation(reviewer, anas.moscow.id, { version: 1, entityType: "ORG" })), 403);
    expectApiError(await expectNoChange(() => deleteAnnotationAs(owner, anas.moscow.id)), 403);
  });

  // Why live gold items have no unique index on span and labels: a merge may rightly make two of them identical.
  test("merging the entities of two gold items on one span goes through, though it makes them identical", async () => {
    const article = await buildArticle(owner, projectId, { text: articleText });
    const daesh = await buildEntity(owner, projectId, { name: `Daesh ${article.id}`, type: "ORG" });
    const islamicState = await buildEntity(owner, projectId, { name: `Islamic State ${article.id}`, type: "ORG" });
    for (const entity of [daesh, islamicState]) {
      expect((await postGold(reviewer, article.id, { json: { kind: "entity", ...span("Islamic State"), entityId: entity.id } })).status).toBe(201);
    }
    const merged = await callRoute(mergeEntitiesRoute, "POST", `/api/entities/${daesh.id}/merge`, { params: { id: daesh.id }, as: reviewer.cookie, json: { intoEntityId: islamicState.id } });
    expect(merged.status).toBe(200);
    const gold = (await getReview(reviewer, article.id)).body.gold;
    // By creation: the Daesh one first, relinked (version 2).
    expect(gold.map((item) => [item.entityId, item.version])).toEqual([
      [islamicState.id, 2],
      [islamicState.id, 1],
    ]);
  });
});

describe("POST /api/articles/:id/review-notes", () => {
  test("a note and a rejection of a group: 201, shown in the review, the group settled; later changes need the version", async () => {
    const { article, anas, bens } = await articleWithDisagreements();
    const groupKey = comparisonGroupKey("entity", [anas.putin.id, bens.putin.id]);
    const auditBefore = await db.auditEvent.count();
    const created = await postNote(reviewer, article.id, { json: { groupKey, decision: "rejected", note: "  Both wrong: tag the full name.  " } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      articleId: article.id,
      groupKey,
      decision: "rejected",
      note: "Both wrong: tag the full name.",
      version: 1,
      author: { id: reviewer.id, name: reviewer.name },
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const audit = await db.auditEvent.findMany({ where: { id: { gt: BigInt(auditBefore) } } });
    expect(audit.map((event) => [event.action, event.objectId, event.actorId, event.projectId])).toEqual([["review_note.create", created.body.id, reviewer.id, projectId]]);

    let review = (await getReview(owner, article.id)).body;
    expect(review.notes).toEqual([created.body]);
    expect(groupOf(review, anas.putin.id)).toMatchObject({ key: groupKey, rejected: true, settled: true, gold: null });

    const withdrawn = await postNote(owner, article.id, { json: { groupKey, decision: null, version: 1 } });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ decision: null, note: "Both wrong: tag the full name.", version: 2, author: { id: owner.id } });
    review = (await getReview(owner, article.id)).body;
    expect(groupOf(review, anas.putin.id)).toMatchObject({ rejected: false, settled: false });

    const cleared = await postNote(owner, article.id, { json: { groupKey, note: "", version: 2 } });
    expect(cleared.body).toMatchObject({ note: null, version: 3 });
    const unchanged = await expectNoChange(() => postNote(owner, article.id, { json: { groupKey, note: null, version: 3 } }));
    expect(unchanged.status).toBe(200);
    expect(unchanged.body.version).toBe(3);
  });

  test("a stale or missing version is 409 stale_version with the current note; unknown groups 404; nothing changes", async () => {
    const { article, anas, bens } = await articleWithDisagreements();
    const groupKey = comparisonGroupKey("stance", [anas.stance.id, bens.stance.id]);
    await postNote(reviewer, article.id, { json: { groupKey, note: "Ana is right." } });
    for (const json of [
      { groupKey, note: "Ben is right.", version: 2 },
      { groupKey, note: "Ben is right." },
    ]) {
      const response = await expectNoChange(() => postNote(owner, article.id, { json }));
      const error = expectApiError(response, 409);
      expect(error.code).toBe("stale_version");
      expect(error.message).toContain("Reload");
      expect(response.body.error.details).toMatchObject({ currentVersion: 1, note: { groupKey, note: "Ana is right." } });
    }
    const fresh = comparisonGroupKey("entity", [anas.moscow.id, bens.moscow.id]);
    expectApiError(await expectNoChange(() => postNote(owner, article.id, { json: { groupKey: fresh, note: "x", version: 1 } })), 409);

    const unknown = await expectNoChange(() => postNote(reviewer, article.id, { json: { groupKey: "entity-0000000000000000", decision: "rejected" } }));
    expect(expectApiError(unknown, 404).message).toContain("Reload");
    const otherArticle = await articleWithDisagreements();
    expectApiError(await expectNoChange(() => postNote(reviewer, otherArticle.article.id, { json: { groupKey: fresh, decision: "rejected" } })), 404);
  });

  test("two reviewers writing the first note of a group at once: one 201, one 409", async () => {
    const { article, anas } = await articleWithDisagreements();
    const groupKey = comparisonGroupKey("entity", [anas.syria.id]);
    const responses = await Promise.all([
      postNote(reviewer, article.id, { json: { groupKey, decision: "rejected" } }),
      postNote(owner, article.id, { json: { groupKey, note: "Syria is a LOC." } }),
    ]);
    expect(responses.map((response) => response.status).sort()).toEqual([201, 409]);
    expect(await db.reviewNote.count({ where: { articleId: article.id } })).toBe(1);
  });

  test("bad bodies are 422, malformed JSON 400; annotators 403, outsiders 404; nothing changes", async () => {
    const { article, anas, bens } = await articleWithDisagreements();
    const groupKey = comparisonGroupKey("entity", [anas.moscow.id, bens.moscow.id]);
    for (const [json, message] of [
      [{ groupKey }, "Nothing to record"],
      [{ decision: "rejected" }, "groupKey"],
      [{ groupKey, decision: "accepted" }, "rejected"],
      [{ groupKey, note: "x".repeat(5001) }, "5000"],
      [{ groupKey, note: 42 }, "note"],
    ] as const) {
      expect(expectApiError(await expectNoChange(() => postNote(reviewer, article.id, { json })), 422).message).toContain(message);
    }
    expectApiError(await expectNoChange(() => postNote(reviewer, article.id, { body: "{", headers: { "content-type": "application/json" } })), 400);
    for (const user of [ana, ben]) expectApiError(await expectNoChange(() => postNote(user, article.id, { json: { groupKey, decision: "rejected" } })), 403);
    expectApiError(await expectNoChange(() => postNote(outsider, article.id, { json: { groupKey, decision: "rejected" } })), 404);
    expectApiError(await expectNoChange(() => postNote(null, article.id, { json: { groupKey, decision: "rejected" } })), 401);
  });
});

describe("PUT /api/articles/:id/review-status", () => {
  test("sets the status, returns {status}, audits a change, and shows in the article list", async () => {
    const { article } = await articleWithDisagreements();
    const auditBefore = await db.auditEvent.count();
    const response = await putReviewStatus(owner, article.id, { json: { status: "REVIEWED" } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: "REVIEWED" });
    const audit = await db.auditEvent.findMany({ where: { id: { gt: BigInt(auditBefore) } } });
    expect(audit.map((event) => [event.action, event.actorId, event.before, event.after])).toEqual([
      ["article.review_status", owner.id, { reviewStatus: "NEEDS_REVIEW" }, { reviewStatus: "REVIEWED" }],
    ]);
    const again = await expectNoChange(() => putReviewStatus(reviewer, article.id, { json: { status: "REVIEWED" } }));
    expect(again.body).toEqual({ status: "REVIEWED" });
    const listed = await callRoute(listArticlesRoute, "GET", `/api/projects/${projectId}/articles`, { params: { id: projectId }, as: ana.cookie });
    expect(listed.body.articles.find((candidate: { id: string }) => candidate.id === article.id).reviewStatus).toBe("REVIEWED");
    expect((await putReviewStatus(reviewer, article.id, { json: { status: "NEEDS_REVIEW" } })).body).toEqual({ status: "NEEDS_REVIEW" });
  });

  test("an unknown status is 422, malformed JSON 400; annotators 403, outsiders 404; nothing changes", async () => {
    const { article } = await articleWithDisagreements();
    expect(expectApiError(await expectNoChange(() => putReviewStatus(reviewer, article.id, { json: { status: "DONE" } })), 422).message).toContain("NEEDS_REVIEW, IN_REVIEW, REVIEWED");
    expectApiError(await expectNoChange(() => putReviewStatus(reviewer, article.id, { body: "{", headers: { "content-type": "application/json" } })), 400);
    for (const user of [ana, ben]) expectApiError(await expectNoChange(() => putReviewStatus(user, article.id, { json: { status: "REVIEWED" } })), 403);
    expectApiError(await expectNoChange(() => putReviewStatus(outsider, article.id, { json: { status: "REVIEWED" } })), 404);
    expectApiError(await expectNoChange(() => putReviewStatus(null, article.id, { json: { status: "REVIEWED" } })), 401);
  });
});

describe("loadProjectAgreementInput", () => {
  test("every article at its current version with the participating annotators' live mentions and stances", async () => {
    const agreementOwner = await buildUser({ name: "Agreement Owner" });
    const project = await buildProject(agreementOwner, [
      { user: ana, role: "annotator" },
      { user: ben, role: "annotator" },
      { user: cai, role: "annotator" },
    ]);
    const people = await buildEntity(agreementOwner, project.id, { name: "Vladimir Putin", type: "PER" });
    const town = await buildEntity(agreementOwner, project.id, { name: "Moscow", type: "LOC" });
    const first = await buildArticle(agreementOwner, project.id, { title: "First", text: articleText });
    const second = await buildArticle(agreementOwner, project.id, { title: "Second", text: "Putin spoke." });
    const untouched = await buildArticle(agreementOwner, project.id, { title: "Untouched", text: "Nothing here." });

    await buildMention(ana, first, "Moscow", { entityId: town.id });
    await buildMention(ana, first, "Vladimir Putin", { entityId: people.id, entityType: "MISC" });
    await buildStance(ana, first, "Putin met", { holderEntityId: people.id, targetEntityId: town.id, polarity: "FAVOR" });
    const gone = await buildMention(ben, first, "Putin", { entityId: people.id });
    await deleteAnnotation({ userId: ben.id, annotationId: gone.id });
    await buildMention(ben, second, "Putin", { entityId: people.id });
    await call(annotatorStatusRoute, "PUT", `/api/articles/${second.id}/status`, second.id, cai, { json: { status: "FINISHED" } });
    await postGold(agreementOwner, first.id, { json: { kind: "entity", ...span("Moscow"), entityId: town.id } });

    // A second version of the first article's text: ana's annotations there are the only ones that count.
    const versionTwo = await db.articleVersion.create({
      data: { articleId: first.id, version: 2, title: "First, corrected", text: "Moscow again.", textSha256: "x", createdById: agreementOwner.id },
    });
    await db.article.update({ where: { id: first.id }, data: { currentVersion: 2 } });
    await db.annotation.create({
      data: {
        projectId: project.id,
        articleId: first.id,
        articleVersionId: versionTwo.id,
        layer: "user",
        userId: ana.id,
        kind: "entity",
        start: 0,
        end: 6,
        quote: "Moscow",
        entityTypeId: (await db.entityType.findFirstOrThrow({ where: { projectId: project.id, name: "LOC" } })).id,
        entityId: town.id,
        createdById: ana.id,
        updatedById: ana.id,
      },
    });

    const input = await loadProjectAgreementInput(project.id);
    const byUserId = (ids: string[]) => [...ids].sort();
    expect(input.labels).toEqual(["PER", "ORG", "LOC", "MISC"]);
    expect(input.articles).toEqual([
      { id: first.id, title: "First, corrected", text: "Moscow again.", annotators: [{ userId: ana.id, mentions: [{ start: 0, end: 6, label: "LOC" }], stances: [] }] },
      {
        id: second.id,
        title: "Second",
        text: "Putin spoke.",
        annotators: byUserId([ben.id, cai.id]).map((userId) =>
          userId === ben.id ? { userId, mentions: [{ start: 0, end: 5, label: "PER" }], stances: [] } : { userId, mentions: [], stances: [] },
        ),
      },
      { id: untouched.id, title: "Untouched", text: "Nothing here.", annotators: [] },
    ]);
    expect(input.annotatorNames).toEqual({ [ana.id]: "Ana", [ben.id]: "Ben", [cai.id]: "Cai", [agreementOwner.id]: "Agreement Owner" });

    // Back on version 1 the stance and the relabelled mention show, sorted by position.
    await db.article.update({ where: { id: first.id }, data: { currentVersion: 1 } });
    const onFirstVersion = (await loadProjectAgreementInput(project.id)).articles[0]!;
    expect(onFirstVersion.annotators).toEqual([
      {
        userId: ana.id,
        mentions: [
          { ...pick(span("Vladimir Putin")), label: "MISC" },
          { ...pick(span("Moscow")), label: "LOC" },
        ],
        stances: [{ holderEntityId: people.id, targetEntityId: town.id, polarity: "FAVOR" }],
      },
    ]);
  });
});

function pick({ start, end }: { start: number; end: number }) {
  return { start, end };
}

describe("the review_layer migration", () => {
  test("applies to a database with data from before it, gold items included", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "spanlight-review-migration-"));
    fs.cpSync(path.join(migrationsDir, "migration_lock.toml"), path.join(dir, "migration_lock.toml"));
    const [init] = fs.readdirSync(migrationsDir).filter((name) => name.endsWith("_init"));
    fs.cpSync(path.join(migrationsDir, init!), path.join(dir, init!), { recursive: true });
    const pglite = new PGlite();
    const connection = { kind: "pglite" as const, dataDir: "memory://", pglite };
    try {
      expect(await applyPendingMigrations(connection, dir)).toEqual([init]);
      await pglite.exec(`
        INSERT INTO "User" ("id", "email", "name", "passwordHash", "updatedAt") VALUES ('u1', 'u1@example.org', 'U', 'x', now());
        INSERT INTO "Project" ("id", "name", "updatedAt") VALUES ('p1', 'P', now());
        INSERT INTO "EntityType" ("id", "projectId", "name", "color", "position") VALUES ('t1', 'p1', 'PER', '#000', 1);
        INSERT INTO "Entity" ("id", "projectId", "name", "entityTypeId", "updatedAt") VALUES ('e1', 'p1', 'Putin', 't1', now());
        INSERT INTO "Article" ("id", "projectId", "position", "reviewStatus", "updatedAt") VALUES ('a1', 'p1', 1, 'IN_REVIEW', now());
        INSERT INTO "ArticleVersion" ("id", "articleId", "version", "title", "text", "textSha256") VALUES ('v1', 'a1', 1, 'T', 'Putin spoke.', 'x');
        INSERT INTO "Annotation" ("id", "projectId", "articleId", "articleVersionId", "layer", "userId", "kind", "start", "end", "quote", "entityTypeId", "entityId", "derivedFromIds", "createdById", "updatedById", "updatedAt")
        VALUES ('user1', 'p1', 'a1', 'v1', 'user', 'u1', 'entity', 0, 5, 'Putin', 't1', 'e1', '{}', 'u1', 'u1', now()),
               ('gold1', 'p1', 'a1', 'v1', 'gold', NULL, 'entity', 0, 5, 'Putin', 't1', 'e1', '{user1}', 'u1', 'u1', now()),
               ('gold2', 'p1', 'a1', 'v1', 'gold', NULL, 'entity', 0, 5, 'Putin', 't1', 'e1', '{}', 'u1', 'u1', now());
      `);
      const before = await pglite.query(`SELECT * FROM "Annotation" ORDER BY "id"`);
      // The review layer and every migration after it.
      const later = fs.readdirSync(migrationsDir).filter((name) => /^\d+_/.test(name) && name !== init).sort();
      expect(later[0]).toMatch(/_review_layer$/);
      expect(await applyPendingMigrations(connection)).toEqual(later);
      expect((await pglite.query(`SELECT * FROM "Annotation" ORDER BY "id"`)).rows).toEqual(before.rows);
      expect((await pglite.query(`SELECT "reviewStatus" FROM "Article"`)).rows).toEqual([{ reviewStatus: "IN_REVIEW" }]);
      const note = `INSERT INTO "ReviewNote" ("id", "articleId", "groupKey", "decision", "version", "createdById", "updatedById", "updatedAt")`;
      await pglite.exec(`${note} VALUES ('n1', 'a1', 'entity-1', 'rejected', 1, 'u1', 'u1', now())`);
      await expect(pglite.exec(`${note} VALUES ('n2', 'a1', 'entity-1', NULL, 1, 'u1', 'u1', now())`)).rejects.toThrow(/ReviewNote_articleId_groupKey_key/);
      await expect(pglite.exec(`${note} VALUES ('n3', 'a1', 'entity-2', NULL, 0, 'u1', 'u1', now())`)).rejects.toThrow(/ReviewNote_version_check/);
      await pglite.exec(`DELETE FROM "Article"`);
      expect((await pglite.query(`SELECT count(*)::int AS n FROM "ReviewNote"`)).rows).toEqual([{ n: 0 }]);
    } finally {
      await pglite.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
