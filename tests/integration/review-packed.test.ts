import { beforeAll, expect, test } from "vitest";
import { GET as reviewRoute } from "@/app/api/articles/[id]/review/route";
import { db } from "@/lib/db";
import { unpackReview } from "@/lib/review/packed-review";
import { callRoute, expectApiError } from "../helpers/api";
import { buildArticle, buildEntity, buildMention, buildProject, buildStance, buildUser, type TestUser } from "../helpers/factories";

/* GET /api/articles/:id/review?packed=1 says what the plain form says, in columns (the review page's form). */

const text = "🇫🇷 Vladimir Putin met Hollande in Moscow. Hollande said Assad has no place in Syria's future.";

let owner: TestUser;
let ana: TestUser;
let ben: TestUser;
let articleId: string;

beforeAll(async () => {
  [owner, ana, ben] = await Promise.all([buildUser(), buildUser({ name: "Ana" }), buildUser({ name: "Ben" })]);
  const { id: projectId } = await buildProject(owner, [
    { user: ana, role: "annotator" },
    { user: ben, role: "annotator" },
  ]);
  const article = await buildArticle(owner, projectId, { text });
  articleId = article.id;
  const putin = await buildEntity(owner, projectId, { name: "Vladimir Putin", type: "PER", aliases: ["Putin"] });
  const hollande = await buildEntity(owner, projectId, { name: "François Hollande", type: "PER", aliases: ["Hollande"] });
  const assad = await buildEntity(owner, projectId, { name: "Bashar al-Assad", type: "PER" });
  await buildMention(ana, article, "Vladimir Putin", { entityId: putin.id });
  await buildMention(ben, article, "Putin", { entityId: putin.id });
  await buildMention(ana, article, "Hollande", { entityId: hollande.id });
  await buildMention(ben, article, "Hollande", { entityId: hollande.id, entityType: "ORG" });
  await buildStance(ana, article, "Assad has no place in Syria's future", { holderEntityId: hollande.id, targetEntityId: assad.id, polarity: "AGAINST" });
  await buildStance(ben, article, "Assad has no place in Syria's future", { holderEntityId: hollande.id, targetEntityId: assad.id, polarity: "AGAINST" });
});

function getReview(user: TestUser, query = "") {
  return callRoute(reviewRoute, "GET", `/api/articles/${articleId}/review${query}`, { params: { id: articleId }, as: user.cookie });
}

test("the packed review unpacks to the plain one, but timestamps", async () => {
  const plain = (await getReview(owner)).body;
  const packed = await getReview(owner, "?packed=1");
  expect(packed.status).toBe(200);
  const strip = ({ createdAt: _c, updatedAt: _u, deletedAt: _d, ...rest }: Record<string, unknown>) => rest;
  const unpacked = unpackReview(packed.body, text);
  expect(plain.groups.length).toBe(3);
  expect(unpacked.groups).toEqual(
    plain.groups.map((group: { members: Record<string, Record<string, unknown> | null>; gold: Record<string, unknown> | null }) => ({
      ...group,
      members: Object.fromEntries(Object.entries(group.members).map(([id, member]) => [id, member && strip(member)])),
      gold: group.gold && strip(group.gold),
    })),
  );
});

test("packed is for reviewers too; a bad value is refused", async () => {
  expectApiError(await getReview(ana, "?packed=1"), 403);
  expectApiError(await getReview(owner, "?packed=yes"), 422);
});

test("an id with a comma or a line break (never made by Spanlight) is read all the same", async () => {
  const model = await db.annotation.findFirstOrThrow({ where: { articleId, userId: ben.id, kind: "entity" } });
  const odd = await db.annotation.create({ data: { ...model, id: "imported,odd\nid", idempotencyKey: null, start: 3, end: 11, quote: "Vladimir" } });
  try {
    const plain = await getReview(owner);
    expect(plain.status).toBe(200);
    const members = plain.body.groups.flatMap((group: { members: Record<string, { id: string } | null> }) => Object.values(group.members));
    expect(members.map((member: { id: string } | null) => member?.id)).toContain(odd.id);
    const packed = await getReview(owner, "?packed=1");
    expect(unpackReview(packed.body, text).groups.flatMap((group) => Object.values(group.members)).map((member) => member?.id)).toContain(odd.id);
  } finally {
    await db.annotation.delete({ where: { id: odd.id } });
  }
});
