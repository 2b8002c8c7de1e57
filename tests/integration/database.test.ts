import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { getConnection } from "@/lib/server/db/connection";
import { applyPendingMigrations } from "@/lib/server/db/migrate";
import { migrationsDir } from "@/lib/server/db/schema-engine";
import { buildArticle, buildProject, buildUser } from "../helpers/factories";

/** A project with one article and an entity type: the parent rows an Annotation needs. */
async function annotationParents() {
  const owner = await buildUser();
  const project = await buildProject(owner);
  const article = await buildArticle(owner, project.id, { text: "Hollande met Putin in Moscow." });
  const entityType = await db.entityType.findFirstOrThrow({ where: { projectId: project.id, name: "PER" } });
  const base = {
    projectId: project.id,
    articleId: article.id,
    articleVersionId: article.versionId,
    kind: "entity",
    entityTypeId: entityType.id,
    createdById: owner.id,
    updatedById: owner.id,
  } satisfies Partial<Prisma.AnnotationUncheckedCreateInput>;
  return { owner, project, article, entityType, base };
}

describe("Annotation CHECK constraints", () => {
  test("a valid user-layer entity mention is accepted (control)", async () => {
    const { owner, base } = await annotationParents();
    const created = await db.annotation.create({ data: { ...base, layer: "user", userId: owner.id, start: 0, end: 8, quote: "Hollande" } });
    expect(created.id).toEqual(expect.any(String));
  });

  test("a valid gold-layer entity mention (no userId) is accepted (control)", async () => {
    const { base } = await annotationParents();
    const created = await db.annotation.create({ data: { ...base, layer: "gold", userId: null, start: 13, end: 18, quote: "Putin" } });
    expect(created.userId).toBeNull();
  });

  test.each([
    ["start == end", 5, 5],
    ["start > end", 8, 3],
    ["start < 0", -1, 4],
  ])("%s is refused by Annotation_offsets_check", async (_label, start, end) => {
    const { owner, article, base } = await annotationParents();
    const before = await db.annotation.count();
    await expect(db.annotation.create({ data: { ...base, layer: "user", userId: owner.id, start, end, quote: "Hollande" } })).rejects.toThrow(
      /Annotation_offsets_check|check constraint/i,
    );
    expect(await db.annotation.count()).toBe(before);
    expect(await db.annotation.count({ where: { articleId: article.id } })).toBe(0);
  });

  test("an empty quote is refused", async () => {
    const { owner, base } = await annotationParents();
    await expect(db.annotation.create({ data: { ...base, layer: "user", userId: owner.id, start: 0, end: 8, quote: "" } })).rejects.toThrow();
  });

  test("a gold annotation with a userId is refused by Annotation_layer_owner_check", async () => {
    const { owner, base } = await annotationParents();
    await expect(db.annotation.create({ data: { ...base, layer: "gold", userId: owner.id, start: 0, end: 8, quote: "Hollande" } })).rejects.toThrow(
      /Annotation_layer_owner_check|check constraint/i,
    );
    expect(await db.annotation.count({ where: { layer: "gold", userId: owner.id } })).toBe(0);
  });

  test("a user-layer annotation without a userId is refused by Annotation_layer_owner_check", async () => {
    const { base, article } = await annotationParents();
    await expect(db.annotation.create({ data: { ...base, layer: "user", userId: null, start: 0, end: 8, quote: "Hollande" } })).rejects.toThrow(
      /Annotation_layer_owner_check|check constraint/i,
    );
    expect(await db.annotation.count({ where: { articleId: article.id } })).toBe(0);
  });

  test("an entity mention without a type, and a stance without holder/target/polarity, are refused", async () => {
    const { owner, base } = await annotationParents();
    await expect(
      db.annotation.create({ data: { ...base, entityTypeId: null, layer: "user", userId: owner.id, start: 0, end: 8, quote: "Hollande" } }),
    ).rejects.toThrow();
    await expect(
      db.annotation.create({ data: { ...base, kind: "stance", entityTypeId: null, layer: "user", userId: owner.id, start: 0, end: 8, quote: "Hollande" } }),
    ).rejects.toThrow();
  });

  test("an UPDATE that would break the offsets is refused too", async () => {
    const { owner, base } = await annotationParents();
    const created = await db.annotation.create({ data: { ...base, layer: "user", userId: owner.id, start: 0, end: 8, quote: "Hollande" } });
    await expect(db.annotation.update({ where: { id: created.id }, data: { end: 0 } })).rejects.toThrow();
    expect((await db.annotation.findUniqueOrThrow({ where: { id: created.id } })).end).toBe(8);
  });
});

describe("append-only tables", () => {
  test("UPDATE on AuditEvent is refused", async () => {
    const owner = await buildUser();
    await buildProject(owner);
    const event = await db.auditEvent.findFirstOrThrow({ where: { actorId: owner.id, action: "project.create" } });
    await expect(db.$executeRawUnsafe(`UPDATE "AuditEvent" SET "action" = 'tampered' WHERE "id" = $1`, event.id)).rejects.toThrow(/append-only/);
    const after = await db.auditEvent.findUniqueOrThrow({ where: { id: event.id } });
    expect(after.action).toBe("project.create");
  });

  test("DELETE on AuditEvent is refused", async () => {
    const owner = await buildUser();
    await buildProject(owner);
    const before = await db.auditEvent.count();
    const event = await db.auditEvent.findFirstOrThrow({ where: { actorId: owner.id } });
    await expect(db.$executeRawUnsafe(`DELETE FROM "AuditEvent" WHERE "id" = $1`, event.id)).rejects.toThrow(/append-only/);
    await expect(db.$executeRawUnsafe(`DELETE FROM "AuditEvent"`)).rejects.toThrow(/append-only/);
    expect(await db.auditEvent.count()).toBe(before);
  });

  test("through Prisma's own API as well", async () => {
    const owner = await buildUser();
    await buildProject(owner);
    const event = await db.auditEvent.findFirstOrThrow({ where: { actorId: owner.id } });
    await expect(db.auditEvent.update({ where: { id: event.id }, data: { action: "tampered" } })).rejects.toThrow();
    await expect(db.auditEvent.delete({ where: { id: event.id } })).rejects.toThrow();
    expect((await db.auditEvent.findUniqueOrThrow({ where: { id: event.id } })).action).toBe(event.action);
  });

  test("UPDATE of an ArticleVersion is refused", async () => {
    const owner = await buildUser();
    const project = await buildProject(owner);
    const article = await buildArticle(owner, project.id, { text: "Original text." });
    await expect(db.$executeRawUnsafe(`UPDATE "ArticleVersion" SET "text" = 'Rewritten text.' WHERE "id" = $1`, article.versionId)).rejects.toThrow(
      /append-only/,
    );
    await expect(db.articleVersion.update({ where: { id: article.versionId }, data: { title: "Retitled" } })).rejects.toThrow();
    const version = await db.articleVersion.findUniqueOrThrow({ where: { id: article.versionId } });
    expect(version.text).toBe("Original text.");
    expect(version.title).toBe(article.title);
  });
});

describe("migrations", () => {
  const tempDirs: string[] = [];
  afterAll(async () => {
    for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
    // Whatever happened above, leave this file's database usable.
    await db.$executeRawUnsafe(`DELETE FROM "_prisma_migrations" WHERE "migration_name" LIKE '9999%'`);
  });

  // Declared in this order on purpose: on PostgreSQL each applyPendingMigrations right after another one waits
  // ~10 s (see the APP BUG test below), so the failed migration (which releases the lock) runs first.
  test("a failed migration is never recorded as applied and leaves no half-made table", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "spanlight-migrations-"));
    tempDirs.push(dir);
    fs.cpSync(migrationsDir, dir, { recursive: true });
    const broken = path.join(dir, "99990101000000_broken");
    fs.mkdirSync(broken);
    fs.writeFileSync(path.join(broken, "migration.sql"), `CREATE TABLE "ShouldNotExist" (id int); SELECT * FROM "no_such_table";\n`);

    try {
      const failure = await applyPendingMigrations(getConnection(), dir).then(
        (applied) => new Error(`expected a rejection, got ${JSON.stringify(applied)}`),
        (error: unknown) => error,
      );
      expect(String((failure as Error)?.message ?? failure)).toMatch(/99990101000000_broken/);

      const applied = await db.$queryRawUnsafe<{ migration_name: string }[]>(
        `SELECT "migration_name" FROM "_prisma_migrations" WHERE "migration_name" LIKE '9999%' AND "finished_at" IS NOT NULL`,
      );
      expect(applied).toEqual([]);

      const table = await db.$queryRawUnsafe<{ t: string | null }[]>(`SELECT to_regclass('"ShouldNotExist"')::text AS t`);
      expect(table[0]!.t).toBeNull();
    } finally {
      await db.$executeRawUnsafe(`DELETE FROM "_prisma_migrations" WHERE "migration_name" LIKE '9999%'`);
    }

    // The database stays usable: the committed migrations are still recorded as applied and the app still works.
    // (The idempotence test below then also proves that the next applyPendingMigrations is not blocked by the failure.)
    const unfinished = await db.$queryRawUnsafe<{ migration_name: string }[]>(`SELECT "migration_name" FROM "_prisma_migrations" WHERE "finished_at" IS NULL`);
    expect(unfinished).toEqual([]);
    const owner = await buildUser();
    expect((await buildProject(owner)).role).toBe("owner");
  });

  test("applyPendingMigrations on the migrated database applies nothing (idempotent)", async () => {
    const count = async () => Number((await db.$queryRawUnsafe<{ n: bigint | number }[]>(`SELECT count(*) AS n FROM "_prisma_migrations"`))[0]!.n);
    const before = await count();
    expect(before).toBeGreaterThan(0);
    expect(await applyPendingMigrations(getConnection())).toEqual([]);
    expect(await count()).toBe(before);
  });

  // The engine's own pg pool holds Prisma's migration advisory lock (72707369) while it works: it must be ended
  // when applyPendingMigrations returns, or every other migrator (a second app instance) waits for its idle timeout.
  // PGlite has a single session shared with the app: not applicable.
  test.skipIf(getConnection().kind !== "postgres")(
    "applyPendingMigrations releases the migration advisory lock and its connections when it returns (PostgreSQL)",
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "spanlight-migrations-"));
      fs.cpSync(migrationsDir, dir, { recursive: true });
      fs.mkdirSync(path.join(dir, "99990102000000_noop"));
      fs.writeFileSync(path.join(dir, "99990102000000_noop", "migration.sql"), "SELECT 1;\n");
      try {
        expect(await applyPendingMigrations(getConnection(), dir)).toEqual(["99990102000000_noop"]);
        const held = await db.$queryRawUnsafe<{ n: bigint | number }[]>(
          `SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = 72707369 AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        );
        expect(Number(held[0]!.n)).toBe(0);
      } finally {
        await db.$executeRawUnsafe(`DELETE FROM "_prisma_migrations" WHERE migration_name = '99990102000000_noop'`);
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
