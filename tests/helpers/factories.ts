import { POST as login } from "@/app/api/auth/login/route";
import { createUser } from "@/lib/server/auth/users";
import { createArticle } from "@/lib/server/articles/articles";
import { addMember } from "@/lib/server/projects/members";
import { createProject } from "@/lib/server/projects/projects";
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
