import { db } from "@/lib/db";
import { deleteAnnotation } from "@/lib/server/annotations/delete-annotation";
import { createApiToken } from "@/lib/server/auth/api-tokens";
import { createSession, sessionCookieName } from "@/lib/server/auth/sessions";
import { createUser } from "@/lib/server/auth/users";
import { getArticleReview } from "@/lib/server/review/get-review";
import { buildArticle, buildEntity, buildGoldMention, buildMention, buildProject, buildStance, buildUser, testPassword, type TestUser } from "./factories";

/*
 * One project with every kind of caller and object, for tests that sweep all routes (authorization matrix, fuzzing):
 * the owner, a reviewer, two annotators (ana and ben) with their own layers on a shared article, a gold layer, and an
 * outsider who is signed in and owns a project of their own (whose ids are "foreign" to everyone else). Objects that
 * a request changes or uses up are made fresh per request with the `fresh*` functions.
 */

/** Who calls: `ana` is the annotator who owns the object at hand, `ben` another annotator of the same project. */
export const actorNames = ["anonymous", "ana", "ben", "reviewer", "owner", "outsider"] as const;
export type ActorName = (typeof actorNames)[number];
export type SignedInActor = Exclude<ActorName, "anonymous">;

export const worldText = "Hollande met Putin in Moscow.\nThey talked about Syria, and Ben alone tagged Zanzibar, Ana alone Timbuktu. 👍🏽";

export interface World {
  users: Record<SignedInActor, TestUser>;
  projectId: string;
  article: { id: string; text: string };
  entities: Record<"hollande" | "putin" | "moscow" | "syria" | "zanzibar" | "timbuktu", { id: string }>;
  /** Live annotations made in beforeAll: ana's and ben's layers and the gold layer. */
  annotations: { ana: string[]; ben: string[]; gold: string[] };
  /** Objects of the outsider's project: unknown to every member of the world's project. */
  foreign: { projectId: string; articleId: string; entityId: string; annotationId: string; goldId: string; tokenId: string };
  /** ana's personal API token (its id, and the secret). */
  anaToken: { id: string; token: string };
}

let counter = 0;
export function uniqueSuffix(): string {
  counter += 1;
  return `${Date.now().toString(36)}${counter}${Math.random().toString(36).slice(2, 6)}`;
}

export async function buildWorld(): Promise<World> {
  const [owner, reviewer, ana, ben, outsider] = await Promise.all([
    buildUser({ name: "Olga Owner" }),
    buildUser({ name: "Rita Reviewer" }),
    buildUser({ name: "Ana Annotator" }),
    buildUser({ name: "Ben Annotator" }),
    buildUser({ name: "Oscar Outsider" }),
  ]);
  const project = await buildProject(owner, [
    { user: reviewer, role: "reviewer" },
    { user: ana, role: "annotator" },
    { user: ben, role: "annotator" },
  ]);
  const projectId = project.id;
  const article = await buildArticle(owner, projectId, { title: "Talks in Moscow", text: worldText });
  const hollande = await buildEntity(owner, projectId, { name: "François Hollande", type: "PER", aliases: ["Hollande"] });
  const putin = await buildEntity(owner, projectId, { name: "Vladimir Putin", type: "PER", aliases: ["Putin"] });
  const moscow = await buildEntity(owner, projectId, { name: "Moscow", type: "LOC" });
  const syria = await buildEntity(owner, projectId, { name: "Syria", type: "LOC" });
  const zanzibar = await buildEntity(owner, projectId, { name: "Zanzibar", type: "LOC" });
  const timbuktu = await buildEntity(owner, projectId, { name: "Timbuktu", type: "LOC" });

  // ana and ben agree on Hollande and differ elsewhere; only ana tags Timbuktu, only ben Zanzibar (nobody else ever
  // does: the leak checks look for them); gold holds Putin.
  const anaLayer = [
    await buildMention(ana, article, "Hollande", { entityId: hollande.id }),
    await buildMention(ana, article, "Putin", { entityId: putin.id }),
    await buildMention(ana, article, "Syria", { entityId: syria.id }),
    await buildMention(ana, article, "Timbuktu", { entityId: timbuktu.id }),
    await buildStance(ana, article, "They talked about Syria", { holderEntityId: putin.id, targetEntityId: syria.id, polarity: "NEUTRAL" }),
  ];
  const benLayer = [
    await buildMention(ben, article, "Hollande", { entityId: hollande.id }),
    await buildMention(ben, article, "Moscow", { entityId: moscow.id }),
    await buildMention(ben, article, "Zanzibar", { entityId: zanzibar.id }),
    await buildStance(ben, article, "Ben alone tagged Zanzibar", { holderEntityId: hollande.id, targetEntityId: zanzibar.id, polarity: "AGAINST" }),
  ];
  const gold = await buildGoldMention(reviewer, article, "Putin", putin.id);
  // Deleted annotations in both layers: restorable by their annotator (and reviewers), invisible to the other.
  await deleteAnnotation({ userId: ana.id, annotationId: (await buildMention(ana, article, "Moscow", { entityId: moscow.id })).id });
  await deleteAnnotation({ userId: ben.id, annotationId: (await buildMention(ben, article, "Zanzibar", { entityId: zanzibar.id })).id });

  const foreignProject = await buildProject(outsider, [], "Outsider's project");
  const foreignArticle = await buildArticle(outsider, foreignProject.id, { text: worldText });
  const foreignEntity = await buildEntity(outsider, foreignProject.id, { name: "Vladimir Putin", type: "PER" });
  const foreignMention = await buildMention(outsider, foreignArticle, "Putin", { entityId: foreignEntity.id });
  const foreignGold = await buildGoldMention(outsider, foreignArticle, "Hollande", foreignEntity.id);
  const foreignToken = await createApiToken({ userId: outsider.id, name: "outsider's script" });
  const anaToken = await createApiToken({ userId: ana.id, name: "ana's script" });

  return {
    users: { owner, reviewer, ana, ben, outsider },
    projectId,
    article,
    entities: { hollande, putin, moscow, syria, zanzibar, timbuktu },
    annotations: { ana: anaLayer.map((a) => a.id), ben: benLayer.map((a) => a.id), gold: [gold.id] },
    foreign: {
      projectId: foreignProject.id,
      articleId: foreignArticle.id,
      entityId: foreignEntity.id,
      annotationId: foreignMention.id,
      goldId: foreignGold.id,
      tokenId: foreignToken.id,
    },
    anaToken: { id: anaToken.id, token: anaToken.token },
  };
}

/** The actor's session cookie, or null for anonymous. */
export function cookieOf(world: World, actor: ActorName): string | null {
  return actor === "anonymous" ? null : world.users[actor].cookie;
}

/** A new session of the actor's own (for requests that end or rotate the session they are sent with). */
export async function freshCookie(world: World, actor: ActorName): Promise<string | null> {
  if (actor === "anonymous") return null;
  const { token } = await createSession(world.users[actor].id);
  return `${sessionCookieName}=${token}`;
}

/** A new article in the world's project, with the world's text. */
export async function freshArticle(world: World) {
  return buildArticle(world.users.owner, world.projectId, { text: worldText });
}

/** A new entity mention of Syria in `user`'s layer, on the shared article unless told. */
export async function freshMention(world: World, user: SignedInActor = "ana", article: { id: string; text: string } = world.article) {
  return buildMention(world.users[user], article, "Syria", { entityId: world.entities.syria.id });
}

/** A soft-deleted entity mention of `user` (version 2), for restore. */
export async function freshDeletedMention(world: World, user: SignedInActor = "ana") {
  const mention = await freshMention(world, user);
  return deleteAnnotation({ userId: world.users[user].id, annotationId: mention.id });
}

/** A new gold item on the shared article. */
export async function freshGold(world: World) {
  return buildGoldMention(world.users.reviewer, world.article, "Moscow", world.entities.moscow.id);
}

/** A new canonical entity in the world's project. */
export async function freshEntity(world: World, type = "ORG") {
  return buildEntity(world.users.owner, world.projectId, { name: `Entity ${uniqueSuffix()}`, type });
}

/** A new personal API token of `user`. */
export async function freshToken(world: World, user: SignedInActor = "ana") {
  return createApiToken({ userId: world.users[user].id, name: `token ${uniqueSuffix()}` });
}

/** An account that belongs to no project (not signed in). */
export async function freshAccount() {
  return createUser({ email: `spare-${uniqueSuffix()}@example.org`, name: `Spare ${uniqueSuffix()}`, password: testPassword });
}

/** A new article in the world's project with one mention by ana, and the key of its one comparison group. */
export async function freshReviewGroup(world: World): Promise<{ articleId: string; groupKey: string }> {
  const article = await buildArticle(world.users.owner, world.projectId, { text: worldText });
  await buildMention(world.users.ana, article, "Moscow", { entityId: world.entities.moscow.id });
  const review = await getArticleReview({ userId: world.users.owner.id, articleId: article.id });
  const [group] = review.groups;
  if (!group) throw new Error("the new article has no comparison group");
  return { articleId: article.id, groupKey: group.key };
}

/** Ids of every annotation (deleted ones included) in the user layer of `userId`. */
export async function userLayerIds(userId: string): Promise<Set<string>> {
  const rows = await db.annotation.findMany({ where: { layer: "user", userId }, select: { id: true } });
  return new Set(rows.map((row) => row.id));
}
