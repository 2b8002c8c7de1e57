import "server-only";
import fs from "node:fs";
import path from "node:path";
import { db, type DbTransaction } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { demoAnnotations, demoEntities, type DemoLayer } from "@/prisma/demo/annotations";
import { demoArticles, demoPassword, demoProjectDescription, demoProjectName, demoStatuses, demoUsers } from "@/prisma/demo/manifest";
import { sha256Hex } from "@/lib/server/articles/articles";
import { recordAudit } from "@/lib/server/audit";
import { hashPassword } from "@/lib/server/auth/password";
import { defaultTagSetData } from "@/lib/server/projects/tag-set";
import { canonicalizeText } from "@/lib/text/canonical";
import { findOccurrence } from "@/lib/text/offsets";

const articlesDir = path.join(process.env.SPANLIGHT_ROOT ?? process.cwd(), "prisma", "demo", "articles");
// Any constant serves: it keeps two app instances starting together from seeding twice.
const seedLockKey = 0x5eed_d3e0;

export function isDemoEnabled(): boolean {
  return process.env.SPANLIGHT_DEMO !== "0";
}

/**
 * Creates the demo project, its three users and their annotations, once. Idempotent: does nothing when a
 * demo project exists; never changes the password of an existing account. Returns whether it seeded.
 */
export async function seedDemoProject(): Promise<boolean> {
  if (await db.project.findFirst({ where: { isDemo: true }, select: { id: true } })) return false;
  const passwordHash = await hashPassword(demoPassword);
  const texts = new Map(demoArticles.map(({ file }) => [file, canonicalizeText(fs.readFileSync(path.join(articlesDir, file), "utf8"))]));
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${seedLockKey})`;
      if (await tx.project.findFirst({ where: { isDemo: true }, select: { id: true } })) return false;
      await createDemoProject(tx, passwordHash, texts);
      return true;
    },
    { timeout: 60_000 },
  );
}

async function createDemoProject(tx: DbTransaction, passwordHash: string, texts: Map<string, string>) {
  const userIds: Record<string, string> = {};
  for (const { key, email, name } of demoUsers) {
    const existing = await tx.user.findUnique({ where: { email }, select: { id: true } });
    userIds[key] = existing?.id ?? (await tx.user.create({ data: { email, name, passwordHash }, select: { id: true } })).id;
  }
  const project = await tx.project.create({
    data: {
      name: demoProjectName,
      description: demoProjectDescription,
      isDemo: true,
      memberships: { create: demoUsers.map(({ key, role }) => ({ userId: userIds[key]!, role })) },
      ...defaultTagSetData(),
    },
    select: { id: true, entityTypes: { select: { id: true, name: true } }, polarities: { select: { id: true, name: true } } },
  });
  const typeIds = new Map(project.entityTypes.map((type) => [type.name, type.id]));
  const polarityIds = new Map(project.polarities.map((polarity) => [polarity.name, polarity.id]));
  const entityIds = new Map<string, string>();
  for (const entity of demoEntities) {
    const created = await tx.entity.create({
      data: { projectId: project.id, name: entity.name, entityTypeId: typeIds.get(entity.type)!, aliases: entity.aliases },
      select: { id: true },
    });
    entityIds.set(entity.name, created.id);
  }

  for (const [index, article] of demoArticles.entries()) {
    const text = texts.get(article.file)!;
    const created = await tx.article.create({
      data: {
        projectId: project.id,
        position: index + 1,
        createdById: userIds.reviewer,
        versions: {
          create: { version: 1, title: article.title, text, textSha256: sha256Hex(text), source: article.source, originalFileName: article.file, originalFileType: "text/plain", createdById: userIds.reviewer },
        },
      },
      select: { id: true, versions: { select: { id: true } } },
    });
    const layers = demoAnnotations.find((entry) => entry.file === article.file);
    if (!layers) continue;
    const base = { projectId: project.id, articleId: created.id, articleVersionId: created.versions[0]!.id };
    const rows: Prisma.AnnotationCreateManyInput[] = [];
    for (const annotator of ["ana", "ben"] as const) {
      const userId = userIds[annotator]!;
      const owner = { ...base, layer: "user" as const, userId, createdById: userId, updatedById: userId };
      rows.push(...layerRows(text, layers[annotator], article.file, owner, { typeIds, polarityIds, entityIds }));
      await tx.annotatorArticleStatus.create({ data: { articleId: created.id, userId, status: demoStatuses[article.file]?.[annotator] ?? "IN_PROGRESS" } });
    }
    await tx.annotation.createMany({ data: rows });
  }
  await recordAudit(tx, { actorId: null, projectId: project.id, action: "demo.seed", objectType: "project", objectId: project.id, after: { articles: demoArticles.length } });
}

type OwnerFields = Pick<Prisma.AnnotationCreateManyInput, "projectId" | "articleId" | "articleVersionId" | "layer" | "userId" | "createdById" | "updatedById">;

function layerRows(
  text: string,
  layer: DemoLayer,
  file: string,
  owner: OwnerFields,
  ids: { typeIds: Map<string, string>; polarityIds: Map<string, string>; entityIds: Map<string, string> },
): Prisma.AnnotationCreateManyInput[] {
  const locate = (quote: string, occurrence = 0) => {
    const span = findOccurrence(text, quote, occurrence);
    if (!span) throw new Error(`Demo data: ${JSON.stringify(quote)} (#${occurrence}) is not in ${file}`);
    return span;
  };
  const entityId = (name: string) => {
    const id = ids.entityIds.get(name);
    if (!id) throw new Error(`Demo data: unknown entity ${name} in ${file}`);
    return id;
  };
  return [
    ...layer.mentions.map((mention) => ({
      ...owner,
      ...locate(mention.quote, mention.occurrence),
      kind: "entity" as const,
      quote: mention.quote,
      entityTypeId: ids.typeIds.get(mention.type)!,
      entityId: entityId(mention.entity),
    })),
    ...layer.stances.map((stance) => ({
      ...owner,
      ...locate(stance.quote, stance.occurrence),
      kind: "stance" as const,
      quote: stance.quote,
      holderEntityId: entityId(stance.holder),
      targetEntityId: entityId(stance.target),
      polarityId: ids.polarityIds.get(stance.polarity)!,
    })),
  ];
}
