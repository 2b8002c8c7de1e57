import { expect, test } from "vitest";
import { db } from "@/lib/db";
import { closeConnection, getConnection } from "@/lib/server/db/connection";
import { applyPendingMigrations } from "@/lib/server/db/migrate";
import { seedDemoProject } from "@/lib/server/demo/seed";
import { buildArticle, buildProject, buildUser } from "../helpers/factories";

test("everything survives a restart, and restarting neither re-migrates nor re-seeds", async () => {
  const owner = await buildUser();
  const project = await buildProject(owner);
  const article = await buildArticle(owner, project.id, { text: "“Quoted” 👍🏽 text\n" });
  expect(await seedDemoProject()).toBe(true);
  const before = { users: await db.user.count(), annotations: await db.annotation.count(), articles: await db.article.count() };

  // A restart: the process lets go of the database and opens it again.
  await closeConnection();
  expect(await applyPendingMigrations(getConnection())).toEqual([]);
  expect(await seedDemoProject()).toBe(false);

  expect({ users: await db.user.count(), annotations: await db.annotation.count(), articles: await db.article.count() }).toEqual(before);
  const version = await db.articleVersion.findFirstOrThrow({ where: { articleId: article.id } });
  expect(version.text).toBe("“Quoted” 👍🏽 text\n");
  expect(await db.project.count({ where: { isDemo: true } })).toBe(1);
}, 120_000);
