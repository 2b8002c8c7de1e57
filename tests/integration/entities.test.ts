import { beforeAll, describe, expect, test } from "vitest";
import { PATCH as patchAnnotationRoute } from "@/app/api/annotations/[id]/route";
import { GET as listAnnotationsRoute } from "@/app/api/articles/[id]/annotations/route";
import { POST as mergeEntityRoute } from "@/app/api/entities/[id]/merge/route";
import { PATCH as patchEntityRoute } from "@/app/api/entities/[id]/route";
import { GET as listEntitiesRoute, POST as createEntityRoute } from "@/app/api/projects/[id]/entities/route";
import { db } from "@/lib/db";
import { callRoute, expectApiError, type ApiResponse, type CallOptions } from "../helpers/api";
import { buildArticle, buildEntity, buildGoldMention, buildMention, buildProject, buildStance, buildUser, type TestUser } from "../helpers/factories";

/*
 * The project's registry of canonical entities: list with mention counts, create, edit, merge.
 * Each test makes its own project, so listings only hold what the test put there.
 */

const articleText = "Islamic State fighters, whom Moscow calls Daesh, retreated. IS lost ground; Daesh denies it. ISIL and Russia.";

let owner: TestUser;
let reviewer: TestUser;
let ana: TestUser;
let ben: TestUser;
let outsider: TestUser;

beforeAll(async () => {
  [owner, reviewer, ana, ben, outsider] = await Promise.all([buildUser(), buildUser(), buildUser(), buildUser(), buildUser()]);
});

async function newProject() {
  const project = await buildProject(owner, [
    { user: reviewer, role: "reviewer" },
    { user: ana, role: "annotator" },
    { user: ben, role: "annotator" },
  ]);
  return project.id;
}

function listEntities(user: TestUser | null, projectId: string, query = "") {
  return callRoute(listEntitiesRoute, "GET", `/api/projects/${projectId}/entities${query}`, { params: { id: projectId }, as: user?.cookie ?? null });
}

function createEntity(user: TestUser, projectId: string, options: Omit<CallOptions, "as" | "params">) {
  return callRoute(createEntityRoute, "POST", `/api/projects/${projectId}/entities`, { params: { id: projectId }, as: user.cookie, ...options });
}

function patchEntity(user: TestUser, entityId: string, options: Omit<CallOptions, "as" | "params">) {
  return callRoute(patchEntityRoute, "PATCH", `/api/entities/${entityId}`, { params: { id: entityId }, as: user.cookie, ...options });
}

function merge(user: TestUser, entityId: string, options: Omit<CallOptions, "as" | "params">) {
  return callRoute(mergeEntityRoute, "POST", `/api/entities/${entityId}/merge`, { params: { id: entityId }, as: user.cookie, ...options });
}

async function snapshot() {
  const [entities, annotations, audit] = await Promise.all([
    db.entity.findMany({ orderBy: { id: "asc" } }),
    db.annotation.findMany({ orderBy: { id: "asc" } }),
    db.auditEvent.count(),
  ]);
  return { entities, annotations, audit };
}

async function expectNoChange(write: () => Promise<ApiResponse>): Promise<ApiResponse> {
  const before = await snapshot();
  const response = await write();
  expect(await snapshot()).toEqual(before);
  return response;
}

const names = (response: ApiResponse) => response.body.entities.map((entity: { name: string }) => entity.name);

describe("POST /api/projects/:id/entities", () => {
  test("201 with {id, name, type, aliases, mentionCount}; aliases trimmed, deduplicated, empty ones dropped; audited", async () => {
    const projectId = await newProject();
    const auditBefore = await db.auditEvent.count();
    const response = await createEntity(ana, projectId, {
      json: { name: "  Islamic State ", type: "ORG", aliases: [" ISIS", "Daesh", "", "  ", "isis", "Daesh ", "islamic state", "IS"] },
    });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ id: expect.any(String), name: "Islamic State", type: "ORG", aliases: ["ISIS", "Daesh", "IS"], mentionCount: 0 });
    const audit = await db.auditEvent.findMany({ where: { id: { gt: BigInt(auditBefore) } } });
    expect(audit).toMatchObject([{ action: "entity.create", objectType: "entity", objectId: response.body.id, actorId: ana.id, projectId, after: response.body }]);
  });

  test("aliases are optional", async () => {
    const projectId = await newProject();
    const response = await createEntity(owner, projectId, { json: { name: "Moscow", type: "LOC" } });
    expect(response.status).toBe(201);
    expect(response.body.aliases).toEqual([]);
  });

  test("a name already used in the type (case-insensitively) is 409; the same name in another type is fine", async () => {
    const projectId = await newProject();
    await buildEntity(owner, projectId, { name: "Washington", type: "LOC" });
    const duplicate = await expectNoChange(() => createEntity(ana, projectId, { json: { name: " washington", type: "LOC" } }));
    const error = expectApiError(duplicate, 409);
    expect(error.code).toBe("already_exists");
    expect(error.message).toContain('"Washington"');
    expect((await createEntity(ana, projectId, { json: { name: "Washington", type: "ORG" } })).status).toBe(201);
  });

  test("an unknown type is 422 naming the project's types; bad bodies are 422; malformed JSON 400; outsiders 404", async () => {
    const projectId = await newProject();
    const unknownType = expectApiError(await expectNoChange(() => createEntity(ana, projectId, { json: { name: "Putin", type: "PERSON" } })), 422);
    expect(unknownType.message).toContain("PER, ORG, LOC, MISC");
    for (const json of [{ type: "PER" }, { name: "  ", type: "PER" }, { name: "Putin" }, { name: "Putin", type: "PER", aliases: "Vladimir" }, { name: "Putin", type: "PER", aliases: [1] }]) {
      expectApiError(await expectNoChange(() => createEntity(ana, projectId, { json })), 422);
    }
    expectApiError(await expectNoChange(() => createEntity(ana, projectId, { body: '{"name": "Putin", ', headers: { "content-type": "application/json" } })), 400);
    expectApiError(await expectNoChange(() => createEntity(outsider, projectId, { json: { name: "Putin", type: "PER" } })), 404);
    expectApiError(await expectNoChange(() => createEntity(outsider, projectId, { body: "{bad" })), 404);
  });
});

describe("GET /api/projects/:id/entities", () => {
  let projectId: string;
  let isis: { id: string };
  let moscow: { id: string };
  let article: { id: string; text: string };

  beforeAll(async () => {
    projectId = await newProject();
    isis = await buildEntity(owner, projectId, { name: "Islamic State", type: "ORG", aliases: ["Daesh", "ISIL"] });
    moscow = await buildEntity(owner, projectId, { name: "Moscow", type: "LOC" });
    await buildEntity(owner, projectId, { name: "russia", type: "LOC" });
    await buildEntity(owner, projectId, { name: "Assad", type: "PER" });
    article = await buildArticle(owner, projectId, { text: articleText });
  });

  test("every member may list; sorted by name, case-insensitively", async () => {
    for (const user of [ana, ben, reviewer, owner]) {
      const response = await listEntities(user, projectId);
      expect(response.status).toBe(200);
      expect(names(response)).toEqual(["Assad", "Islamic State", "Moscow", "russia"]);
    }
    const [first] = (await listEntities(ana, projectId)).body.entities;
    expect(Object.keys(first).sort()).toEqual(["aliases", "id", "mentionCount", "name", "type"]);
  });

  test("q matches a substring of the name or an alias, case-insensitively; type filters", async () => {
    expect(names(await listEntities(ana, projectId, "?q=STATE"))).toEqual(["Islamic State"]);
    expect(names(await listEntities(ana, projectId, "?q=daes"))).toEqual(["Islamic State"]);
    expect(names(await listEntities(ana, projectId, "?q=s"))).toEqual(["Assad", "Islamic State", "Moscow", "russia"]);
    expect(names(await listEntities(ana, projectId, "?q=%20mos%20"))).toEqual(["Moscow"]);
    expect(names(await listEntities(ana, projectId, "?type=LOC"))).toEqual(["Moscow", "russia"]);
    expect(names(await listEntities(ana, projectId, "?type=LOC&q=RUS"))).toEqual(["russia"]);
    expect(names(await listEntities(ana, projectId, "?q=nobody"))).toEqual([]);
    expect(names(await listEntities(ana, projectId, "?q="))).toHaveLength(4);
  });

  test("an unknown type is 422; outsiders get 404; no session 401", async () => {
    expect(expectApiError(await listEntities(ana, projectId, "?type=CITY"), 422).message).toContain("PER, ORG, LOC, MISC");
    expectApiError(await listEntities(outsider, projectId), 404);
    expectApiError(await listEntities(null, projectId), 401);
  });

  test("mentionCount counts live entity mentions in every layer, not stances or deleted mentions", async () => {
    await buildMention(ana, article, "Islamic State", { entityId: isis.id });
    await buildMention(ana, article, "Daesh", { entityType: "ORG", entityName: "daesh" }, 1);
    await buildMention(ben, article, "Daesh", { entityId: isis.id, entityType: "MISC" });
    await buildGoldMention(reviewer, article, "Islamic State", isis.id);
    const deleted = await buildMention(ben, article, "ISIL", { entityId: isis.id });
    await db.annotation.update({ where: { id: deleted.id }, data: { deletedAt: new Date() } });
    await buildStance(ana, article, "Moscow calls Daesh", { holderEntityId: moscow.id, targetEntityId: isis.id, polarity: "AGAINST" });
    await buildMention(ana, article, "Moscow", { entityId: moscow.id });

    const counts = Object.fromEntries((await listEntities(ana, projectId)).body.entities.map((e: { name: string; mentionCount: number }) => [e.name, e.mentionCount]));
    expect(counts).toEqual({ Assad: 0, "Islamic State": 4, Moscow: 1, russia: 0 });
  });
});

describe("PATCH /api/entities/:id", () => {
  test("any member may rename, retype and replace aliases; audited with before and after", async () => {
    const projectId = await newProject();
    const entity = await buildEntity(owner, projectId, { name: "Putin", type: "ORG", aliases: ["VVP"] });
    const auditBefore = await db.auditEvent.count();
    const response = await patchEntity(ana, entity.id, { json: { name: "Vladimir Putin ", type: "PER", aliases: ["Putin", " putin", "", "vladimir putin", "Путин"] } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id: entity.id, name: "Vladimir Putin", type: "PER", aliases: ["Putin", "Путин"], mentionCount: 0 });
    const audit = await db.auditEvent.findMany({ where: { id: { gt: BigInt(auditBefore) } } });
    expect(audit).toMatchObject([
      { action: "entity.update", objectId: entity.id, actorId: ana.id, before: { name: "Putin", type: "ORG", aliases: ["VVP"] }, after: response.body },
    ]);
    expect((await patchEntity(ben, entity.id, { json: { aliases: [] } })).body.aliases).toEqual([]);
  });

  test("retyping the entity leaves its mentions' own types alone", async () => {
    const projectId = await newProject();
    const article = await buildArticle(owner, projectId, { text: articleText });
    const entity = await buildEntity(owner, projectId, { name: "Moscow", type: "LOC" });
    const mention = await buildMention(ana, article, "Moscow", { entityId: entity.id });
    expect((await patchEntity(ana, entity.id, { json: { type: "ORG" } })).body.type).toBe("ORG");
    const listed = await callRoute(listAnnotationsRoute, "GET", `/api/articles/${article.id}/annotations`, { params: { id: article.id }, as: ana.cookie });
    expect(listed.body.annotations).toEqual([expect.objectContaining({ id: mention.id, entityType: "LOC", entity: expect.objectContaining({ type: "ORG" }), version: 1 })]);
  });

  test("a name taken in the type is 409, an unknown type 422, an empty patch 422, malformed JSON 400, outsiders 404; nothing changes", async () => {
    const projectId = await newProject();
    const paris = await buildEntity(owner, projectId, { name: "Paris", type: "LOC" });
    await buildEntity(owner, projectId, { name: "London", type: "LOC" });
    await buildEntity(owner, projectId, { name: "Elysee", type: "ORG" });
    expectApiError(await expectNoChange(() => patchEntity(ana, paris.id, { json: { name: "LONDON" } })), 409);
    const elysee = await db.entity.findFirstOrThrow({ where: { projectId, name: "Elysee" } });
    expectApiError(await expectNoChange(() => patchEntity(ana, elysee.id, { json: { type: "LOC", name: "paris" } })), 409);
    expectApiError(await expectNoChange(() => patchEntity(ana, paris.id, { json: { type: "CITY" } })), 422);
    expectApiError(await expectNoChange(() => patchEntity(ana, paris.id, { json: {} })), 422);
    expectApiError(await expectNoChange(() => patchEntity(ana, paris.id, { json: { name: "" } })), 422);
    expectApiError(await expectNoChange(() => patchEntity(ana, paris.id, { body: "{name:", headers: { "content-type": "application/json" } })), 400);
    expectApiError(await expectNoChange(() => patchEntity(outsider, paris.id, { json: { name: "Lutetia" } })), 404);
    expectApiError(await expectNoChange(() => patchEntity(ana, "no-such-entity", { json: { name: "Lutetia" } })), 404);
    // Changing only the case of its own name is not a clash with itself.
    expect((await patchEntity(ana, paris.id, { json: { name: "PARIS" } })).body.name).toBe("PARIS");
  });
});

describe("POST /api/entities/:id/merge", () => {
  test("relinks every mention, holder and target in every layer to the kept entity, unions the aliases, deletes the merged one; one audit entry", async () => {
    const projectId = await newProject();
    const article = await buildArticle(owner, projectId, { text: articleText });
    const isis = await buildEntity(owner, projectId, { name: "Islamic State", type: "ORG", aliases: ["ISIS", "IS"] });
    const daesh = await buildEntity(owner, projectId, { name: "Daesh", type: "ORG", aliases: ["ISIL", "is"] });
    const russia = await buildEntity(owner, projectId, { name: "Russia", type: "LOC" });

    const anaIsis = await buildMention(ana, article, "Islamic State", { entityId: isis.id });
    const anaDaesh = await buildMention(ana, article, "Daesh", { entityId: daesh.id });
    const benDaesh = await buildMention(ben, article, "Daesh", { entityId: daesh.id, entityType: "MISC" }, 1);
    const benDeleted = await buildMention(ben, article, "ISIL", { entityId: daesh.id });
    await db.annotation.update({ where: { id: benDeleted.id }, data: { deletedAt: new Date() } });
    const gold = await buildGoldMention(reviewer, article, "Daesh", daesh.id);
    const holderStance = await buildStance(ana, article, "Daesh denies it", { holderEntityId: daesh.id, targetEntityId: russia.id, polarity: "AGAINST" });
    const targetStance = await buildStance(ben, article, "Moscow calls Daesh", { holderEntityId: russia.id, targetEntityId: daesh.id, polarity: "AGAINST" });
    const selfStance = await buildStance(ben, article, "IS lost ground", { holderEntityId: daesh.id, targetEntityId: daesh.id, polarity: "NEUTRAL" });

    const before = await db.annotation.findMany({ select: { id: true, version: true } });
    const versionBefore = new Map(before.map((row) => [row.id, row.version]));
    const auditBefore = await db.auditEvent.count();

    const response = await merge(ben, daesh.id, { json: { intoEntityId: isis.id } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id: isis.id, name: "Islamic State", type: "ORG", aliases: ["ISIS", "IS", "Daesh", "ISIL"], mentionCount: 4 });

    expect(await db.entity.findUnique({ where: { id: daesh.id } })).toBeNull();
    const rows = await db.annotation.findMany({ where: { projectId }, select: { id: true, entityId: true, holderEntityId: true, targetEntityId: true, entityTypeId: true, version: true } });
    expect(rows.filter((row) => [row.entityId, row.holderEntityId, row.targetEntityId].includes(daesh.id))).toEqual([]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const id of [anaDaesh.id, benDaesh.id, benDeleted.id, gold.id]) expect(byId.get(id)?.entityId).toBe(isis.id);
    expect(byId.get(holderStance.id)).toMatchObject({ holderEntityId: isis.id, targetEntityId: russia.id });
    expect(byId.get(targetStance.id)).toMatchObject({ holderEntityId: russia.id, targetEntityId: isis.id });
    expect(byId.get(selfStance.id)).toMatchObject({ holderEntityId: isis.id, targetEntityId: isis.id });
    // Relinked annotations changed, so their version went up (once); the others did not.
    for (const id of [anaDaesh.id, benDaesh.id, benDeleted.id, gold.id, holderStance.id, targetStance.id, selfStance.id]) {
      expect(byId.get(id)?.version).toBe(versionBefore.get(id)! + 1);
    }
    expect(byId.get(anaIsis.id)?.version).toBe(versionBefore.get(anaIsis.id));
    // Ben's mention keeps its own type label.
    const misc = await db.entityType.findFirstOrThrow({ where: { projectId, name: "MISC" } });
    expect(byId.get(benDaesh.id)?.entityTypeId).toBe(misc.id);

    const audit = await db.auditEvent.findMany({ where: { id: { gt: BigInt(auditBefore) } } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: "entity.merge",
      objectType: "entity",
      objectId: daesh.id,
      actorId: ben.id,
      projectId,
      before: { merged: { id: daesh.id, name: "Daesh" }, into: { id: isis.id, aliases: ["ISIS", "IS"] } },
      after: { into: response.body, relinked: { mentions: 4, holders: 2, targets: 2 } },
    });

    const listed = await callRoute(listAnnotationsRoute, "GET", `/api/articles/${article.id}/annotations`, { params: { id: article.id }, as: ana.cookie });
    expect(listed.body.annotations.find((a: { id: string }) => a.id === anaDaesh.id)).toMatchObject({ entityId: isis.id, entity: { name: "Islamic State" } });
    // The merged entity's id is gone for good.
    expectApiError(await patchEntity(ana, daesh.id, { json: { name: "Daesh" } }), 404);
    expectApiError(await merge(ana, daesh.id, { json: { intoEntityId: isis.id } }), 404);
    // A client holding the old version of a relinked annotation gets 409.
    expectApiError(await callRoute(patchAnnotationRoute, "PATCH", `/api/annotations/${anaDaesh.id}`, { params: { id: anaDaesh.id }, as: ana.cookie, json: { version: 1, entityType: "MISC" } }), 409);
  });

  test("into itself, into another project's entity or an unknown one is 422; outsiders 404; bad bodies 400/422; nothing changes", async () => {
    const projectId = await newProject();
    const article = await buildArticle(owner, projectId, { text: articleText });
    const isis = await buildEntity(owner, projectId, { name: "Islamic State", type: "ORG" });
    const daesh = await buildEntity(owner, projectId, { name: "Daesh", type: "ORG" });
    await buildMention(ana, article, "Daesh", { entityId: daesh.id });
    const foreign = await buildEntity(outsider, (await buildProject(outsider)).id, { name: "Islamic State", type: "ORG" });

    expect(expectApiError(await expectNoChange(() => merge(ana, daesh.id, { json: { intoEntityId: daesh.id } })), 422).message).toContain("itself");
    expect(expectApiError(await expectNoChange(() => merge(ana, daesh.id, { json: { intoEntityId: foreign.id } })), 422).message).toContain("intoEntityId");
    expectApiError(await expectNoChange(() => merge(ana, daesh.id, { json: { intoEntityId: "no-such-entity" } })), 422);
    expectApiError(await expectNoChange(() => merge(ana, daesh.id, { json: {} })), 422);
    expectApiError(await expectNoChange(() => merge(ana, daesh.id, { body: "{intoEntityId", headers: { "content-type": "application/json" } })), 400);
    expectApiError(await expectNoChange(() => merge(outsider, daesh.id, { json: { intoEntityId: isis.id } })), 404);
    expectApiError(await expectNoChange(() => merge(outsider, foreign.id, { json: { intoEntityId: isis.id } })), 422);
    expectApiError(await expectNoChange(() => merge(ana, foreign.id, { json: { intoEntityId: isis.id } })), 404);
  });

  test("entities of different types can be merged; the kept one keeps its type", async () => {
    const projectId = await newProject();
    const moscowLoc = await buildEntity(owner, projectId, { name: "Moscow", type: "LOC" });
    const moscowOrg = await buildEntity(owner, projectId, { name: "Moscow", type: "ORG", aliases: ["the Kremlin"] });
    const response = await merge(reviewer, moscowOrg.id, { json: { intoEntityId: moscowLoc.id } });
    expect(response.status).toBe(200);
    // "Moscow" is the kept entity's own name, so it is not repeated as an alias.
    expect(response.body).toEqual({ id: moscowLoc.id, name: "Moscow", type: "LOC", aliases: ["the Kremlin"], mentionCount: 0 });
  });
});
