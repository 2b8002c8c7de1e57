import { beforeAll, expect, test } from "vitest";
import { db } from "@/lib/db";
import { listAnnotations } from "@/lib/server/annotations/list-annotations";
import { loadMyReaderLayer } from "@/lib/server/annotations/reader-layer";
import { deleteAnnotation } from "@/lib/server/annotations/delete-annotation";
import { unpackAnnotations } from "@/lib/reader/packed-annotations";
import { listEntities } from "@/lib/server/entities/list-entities";
import { buildArticle, buildEntity, buildGoldMention, buildMention, buildProject, buildStance, buildUser, type TestUser } from "../helpers/factories";

/* The reader page's packed layer says what GET /api/articles/:id/annotations?layer=mine says, but timestamps. */

const text = "🇫🇷🤝 Vladimir Putin met Hollande. Hollande said Assad has no place in Syria's future. Putin listened.";

let owner: TestUser;
let ana: TestUser;
let ben: TestUser;
let projectId: string;

beforeAll(async () => {
  [owner, ana, ben] = await Promise.all([buildUser(), buildUser({ name: "Ana" }), buildUser({ name: "Ben" })]);
  projectId = (await buildProject(owner, [
    { user: ana, role: "annotator" },
    { user: ben, role: "annotator" },
  ])).id;
});

test("my live annotations only, in the API's order and shape", async () => {
  const article = await buildArticle(owner, projectId, { text });
  const putin = await buildEntity(owner, projectId, { name: "Vladimir Putin", type: "PER", aliases: ["Putin"] });
  const hollande = await buildEntity(owner, projectId, { name: "François Hollande", type: "PER", aliases: ["Hollande"] });
  const assad = await buildEntity(owner, projectId, { name: "Bashar al-Assad", type: "PER", aliases: ["Assad"] });
  await buildMention(ana, article, "Putin", { entityId: putin.id }, 1);
  await buildMention(ana, article, "Vladimir Putin", { entityId: putin.id });
  await buildMention(ana, article, "Putin", { entityId: putin.id });
  const deleted = await buildMention(ana, article, "Hollande", { entityId: hollande.id });
  await deleteAnnotation({ userId: ana.id, annotationId: deleted.id, expectedVersion: deleted.version });
  await buildStance(ana, article, "Assad has no place in Syria's future", { holderEntityId: hollande.id, targetEntityId: assad.id, polarity: "AGAINST" });
  await buildMention(ben, article, "Hollande", { entityId: hollande.id }, 1);
  await buildGoldMention(owner, article, "Syria", putin.id);

  const packed = await loadMyReaderLayer({ userId: ana.id, articleId: article.id });
  const entities = new Map((await listEntities({ userId: ana.id, projectId })).map((entity) => [entity.id, entity]));
  const unpacked = unpackAnnotations(packed, text, entities);
  const listed = await listAnnotations({ userId: ana.id, articleId: article.id, layer: "mine" });
  expect(unpacked).toEqual(listed.map(({ createdAt: _c, updatedAt: _u, deletedAt: _d, ...rest }) => rest));
  expect(unpacked.map((annotation) => annotation.quote)).toEqual(["Vladimir Putin", "Putin", "Assad has no place in Syria's future", "Putin"]);
});

test("an article without my annotations packs to empty columns", async () => {
  const article = await buildArticle(owner, projectId, { text });
  const packed = await loadMyReaderLayer({ userId: ben.id, articleId: article.id });
  expect(packed.id).toEqual([]);
  expect(packed.kind).toBe("");
  expect(unpackAnnotations(packed, text, new Map())).toEqual([]);
});

test("an id with a comma or a line break (never made by Spanlight) is read all the same", async () => {
  const article = await buildArticle(owner, projectId, { text });
  const model = await buildMention(ana, article, "Putin", { entityType: "PER", entityName: "Vladimir Putin" });
  await db.annotation.create({ data: { ...(await db.annotation.findUniqueOrThrow({ where: { id: model.id } })), id: "imported,odd\nid", idempotencyKey: null } });
  const packed = await loadMyReaderLayer({ userId: ana.id, articleId: article.id });
  const entities = new Map((await listEntities({ userId: ana.id, projectId })).map((entity) => [entity.id, entity]));
  const listed = await listAnnotations({ userId: ana.id, articleId: article.id, layer: "mine" });
  expect(unpackAnnotations(packed, text, entities)).toEqual(listed.map(({ createdAt: _c, updatedAt: _u, deletedAt: _d, ...rest }) => rest));
  expect(packed.id).toContain("imported,odd\nid");
});
