import { POST as login } from "@/app/api/auth/login/route";
import { db } from "@/lib/db";
import { createAnnotation } from "@/lib/server/annotations/create-annotation";
import { createUser } from "@/lib/server/auth/users";
import { createArticle } from "@/lib/server/articles/articles";
import { createEntity } from "@/lib/server/entities/create-entity";
import { addMember } from "@/lib/server/projects/members";
import { createProject } from "@/lib/server/projects/projects";
import { findOccurrence } from "@/lib/text/offsets";
import type { MemberRoleName } from "@/lib/validation/project";
import { callRoute, sessionCookieFrom } from "./api";

let counter = 0;
function unique(): string {
  counter += 1;
  return `${Date.now().toString(36)}${counter}${Math.random().toString(36).slice(2, 6)}`;
}

export const testPassword = "correct horse battery staple";

export interface TestUser {
  id: string;
  email: string;
  name: string;
  password: string;
  /** Session cookie, for `as` in callRoute. */
  cookie: string;
}

/** A new account, signed in through the real login route. */
export async function buildUser(overrides: { email?: string; name?: string } = {}): Promise<TestUser> {
  const email = overrides.email ?? `user-${unique()}@example.org`;
  const name = overrides.name ?? `User ${unique()}`;
  const user = await createUser({ email, name, password: testPassword });
  const response = await callRoute(login, "POST", "/api/auth/login", { json: { email, password: testPassword } });
  return { ...user, password: testPassword, cookie: sessionCookieFrom(response) };
}

/** A project owned by `owner`, with the given members added in their roles. */
export async function buildProject(owner: TestUser, members: { user: TestUser; role: MemberRoleName }[] = [], name = `Project ${unique()}`) {
  const project = await createProject({ userId: owner.id, name });
  for (const { user, role } of members) await addMember({ actorId: owner.id, projectId: project.id, email: user.email, role });
  return project;
}

export async function buildArticle(owner: TestUser, projectId: string, overrides: { title?: string; text?: string; source?: string } = {}) {
  return createArticle({
    userId: owner.id,
    projectId,
    article: { title: overrides.title ?? `Article ${unique()}`, text: overrides.text ?? "Hollande met Putin in Moscow.\nThey talked about Syria.", source: overrides.source ?? null },
  });
}

/** A canonical entity in the project's registry (type PER unless given). */
export async function buildEntity(user: TestUser, projectId: string, overrides: { name?: string; type?: string; aliases?: string[] } = {}) {
  return createEntity({
    userId: user.id,
    projectId,
    entity: { name: overrides.name ?? `Entity ${unique()}`, type: overrides.type ?? "PER", aliases: overrides.aliases ?? [] },
  });
}

function spanOf(article: { text: string }, quote: string, occurrence = 0) {
  const span = findOccurrence(article.text, quote, occurrence);
  if (!span) throw new Error(`${JSON.stringify(quote)} (#${occurrence}) is not in the article text`);
  return { ...span, quote };
}

/** An entity mention in `user`'s own layer on the `occurrence`-th (0-based) appearance of `quote`. */
export async function buildMention(
  user: TestUser,
  article: { id: string; text: string },
  quote: string,
  label: { entityId: string; entityType?: string } | { entityType: string; entityName: string },
  occurrence = 0,
) {
  const { annotation } = await createAnnotation({ userId: user.id, articleId: article.id, input: { kind: "entity", ...spanOf(article, quote, occurrence), ...label } });
  return annotation;
}

/** A stance in `user`'s own layer on the first appearance of `quote`. */
export async function buildStance(
  user: TestUser,
  article: { id: string; text: string },
  quote: string,
  label: { holderEntityId: string; targetEntityId: string; polarity: string },
) {
  const { annotation } = await createAnnotation({ userId: user.id, articleId: article.id, input: { kind: "stance", ...spanOf(article, quote), ...label } });
  return annotation;
}

/**
 * An entity mention in the gold layer, written straight to the database, past the review's checks (POST
 * /api/articles/:id/gold is the way through them). `by` stands for the reviewer who settled it.
 */
export async function buildGoldMention(by: TestUser, article: { id: string; text: string }, quote: string, entityId: string) {
  const row = await db.article.findUniqueOrThrow({ where: { id: article.id }, select: { projectId: true, currentVersion: true, versions: { select: { id: true, version: true } } } });
  const version = row.versions.find((candidate) => candidate.version === row.currentVersion);
  const entity = await db.entity.findUniqueOrThrow({ where: { id: entityId }, select: { entityTypeId: true } });
  if (!version) throw new Error("article without a current version");
  return db.annotation.create({
    data: {
      projectId: row.projectId,
      articleId: article.id,
      articleVersionId: version.id,
      layer: "gold",
      userId: null,
      kind: "entity",
      ...spanOf(article, quote),
      entityTypeId: entity.entityTypeId,
      entityId,
      createdById: by.id,
      updatedById: by.id,
    },
    select: { id: true },
  });
}
