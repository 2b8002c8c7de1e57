import "server-only";
import { createHash } from "node:crypto";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/server/audit";
import { versionText } from "@/lib/server/annotations/current-text";
import { hasRole, requireArticleRole, requireProjectRole } from "@/lib/server/authz";
import { canonicalizeText, utf8ByteLength } from "@/lib/text/canonical";
import { maxArticleTextBytes, type CreateArticleInput } from "@/lib/validation/article";

export interface NewArticle extends CreateArticleInput {
  originalFileName?: string | null;
  originalFileType?: string | null;
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * The canonical text of a new article (see README "Text and offsets"), throwing
 * `payload_too_large` above 5 MB of UTF-8 and `validation_failed` for a text that is empty once canonical.
 */
export function toCanonicalArticleText(raw: string): string {
  const text = canonicalizeText(raw);
  const bytes = utf8ByteLength(text);
  if (bytes > maxArticleTextBytes) {
    throw new AppError("payload_too_large", `The article text is ${(bytes / 1024 / 1024).toFixed(1)} MB; the limit is 5 MB. Split it into several articles.`);
  }
  if (!text.trim()) throw new AppError("validation_failed", "The article text is empty.");
  return text;
}

/**
 * Stores an article as version 1 of its canonical text. Throws `payload_too_large` above 5 MB and
 * `validation_failed` for a text that is empty once canonical.
 */
export async function createArticle({ userId, projectId, article }: { userId: string; projectId: string; article: NewArticle }) {
  await requireProjectRole({ userId, projectId });
  const text = toCanonicalArticleText(article.text);
  return db.$transaction(async (tx) => {
    // Serialise article numbering per project.
    await tx.$executeRaw`SELECT 1 FROM "Project" WHERE "id" = ${projectId} FOR UPDATE`;
    const last = await tx.article.findFirst({ where: { projectId }, orderBy: { position: "desc" }, select: { position: true } });
    const created = await tx.article.create({
      data: {
        projectId,
        position: (last?.position ?? 0) + 1,
        createdById: userId,
        versions: {
          create: {
            version: 1,
            title: article.title,
            text,
            textSha256: sha256Hex(text),
            source: article.source ?? null,
            originalFileName: article.originalFileName ?? null,
            originalFileType: article.originalFileType ?? null,
            createdById: userId,
          },
        },
      },
      select: { id: true },
    });
    await recordAudit(tx, {
      actorId: userId,
      projectId,
      action: "article.create",
      objectType: "article",
      objectId: created.id,
      after: { title: article.title, textSha256: sha256Hex(text), length: text.length },
    });
    return getArticleVersion(tx, created.id);
  });
}

async function getArticleVersion(client: Pick<typeof db, "article" | "articleVersion">, articleId: string) {
  const article = await client.article.findUniqueOrThrow({
    where: { id: articleId },
    select: { id: true, projectId: true, currentVersion: true, position: true, reviewStatus: true, createdAt: true },
  });
  const current = await client.articleVersion.findUnique({
    where: { articleId_version: { articleId, version: article.currentVersion } },
    select: { id: true, title: true, textSha256: true, source: true, originalFileName: true, originalFileType: true },
  });
  if (!current) throw new AppError("not_found", "The article has no text.");
  const text = await versionText(client, current.id);
  return {
    id: article.id,
    projectId: article.projectId,
    title: current.title,
    text,
    version: article.currentVersion,
    versionId: current.id,
    source: current.source,
    textSha256: current.textSha256,
    originalFileName: current.originalFileName,
    originalFileType: current.originalFileType,
    position: article.position,
    reviewStatus: article.reviewStatus,
    createdAt: article.createdAt,
  };
}

/** The current version of an article for a member of its project; `not_found` for everyone else. */
export async function getArticleForUser({ userId, articleId }: { userId: string; articleId: string }) {
  const { role } = await requireArticleRole({ userId, articleId });
  return { ...(await getArticleVersion(db, articleId)), role };
}

/**
 * The project's articles with annotator progress: reviewers and owners see every member's status,
 * annotators see their own.
 */
export async function listArticles({ userId, projectId }: { userId: string; projectId: string }) {
  const role = await requireProjectRole({ userId, projectId });
  const seesEveryone = hasRole(role, "reviewer");
  const [articles, members] = await Promise.all([
    db.article.findMany({
      where: { projectId },
      orderBy: { position: "asc" },
      select: {
        id: true,
        position: true,
        currentVersion: true,
        reviewStatus: true,
        createdAt: true,
        versions: { select: { title: true, source: true }, orderBy: { version: "desc" }, take: 1 },
        statuses: { where: seesEveryone ? {} : { userId }, select: { userId: true, status: true } },
      },
    }),
    db.membership.findMany({
      where: seesEveryone ? { projectId } : { projectId, userId },
      select: { role: true, user: { select: { id: true, name: true, email: true } } },
      orderBy: { createdAt: "asc" },
    }),
  ]);
  return articles.map(({ versions, statuses, currentVersion, ...article }) => {
    const current = versions[0];
    const statusByUser = new Map(statuses.map((row) => [row.userId, row.status]));
    return {
      ...article,
      version: currentVersion,
      title: current?.title ?? "",
      source: current?.source ?? null,
      progress: members.map(({ role: memberRole, user }) => ({
        userId: user.id,
        name: user.name,
        email: user.email,
        role: memberRole,
        status: statusByUser.get(user.id) ?? "NEW",
      })),
    };
  });
}
