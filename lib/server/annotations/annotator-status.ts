import "server-only";
import { db, type DbTransaction } from "@/lib/db";
import { recordAudit } from "@/lib/server/audit";
import { requireArticleRole } from "@/lib/server/authz";
import type { AnnotatorStatusName } from "@/lib/validation/annotation";

/*
 * An annotator's progress on an article (INCEpTION's annotation document states): NEW until their first
 * annotation, then IN_PROGRESS, FINISHED when they say so. A missing row means NEW.
 */

/** Moves the annotator from NEW (or no row) to IN_PROGRESS, inside the caller's write; FINISHED stays FINISHED. */
export async function markInProgress(tx: DbTransaction, { userId, articleId, projectId }: { userId: string; articleId: string; projectId: string }): Promise<void> {
  // ON CONFLICT rather than Prisma's upsert: two first annotations at once must not collide on the primary key.
  const changed = await tx.$executeRaw`
    INSERT INTO "AnnotatorArticleStatus" ("articleId", "userId", "status", "updatedAt")
    VALUES (${articleId}, ${userId}, 'IN_PROGRESS', now())
    ON CONFLICT ("articleId", "userId") DO UPDATE SET "status" = 'IN_PROGRESS', "updatedAt" = now()
    WHERE "AnnotatorArticleStatus"."status" = 'NEW'`;
  if (changed > 0) {
    await recordAudit(tx, { actorId: userId, projectId, action: "article.status", objectType: "article", objectId: articleId, after: { userId, status: "IN_PROGRESS" } });
  }
}

/** Sets the caller's own status on an article (any member). Audited when it changes. */
export async function setAnnotatorStatus({ userId, articleId, status }: { userId: string; articleId: string; status: AnnotatorStatusName }) {
  const { projectId } = await requireArticleRole({ userId, articleId });
  return db.$transaction(async (tx) => {
    const previous = await tx.annotatorArticleStatus.findUnique({ where: { articleId_userId: { articleId, userId } }, select: { status: true } });
    const before = previous?.status ?? "NEW";
    if (previous && before === status) return { status };
    await tx.$executeRaw`
      INSERT INTO "AnnotatorArticleStatus" ("articleId", "userId", "status", "updatedAt")
      VALUES (${articleId}, ${userId}, ${status}::"AnnotatorStatus", now())
      ON CONFLICT ("articleId", "userId") DO UPDATE SET "status" = EXCLUDED."status", "updatedAt" = now()`;
    if (before !== status) {
      await recordAudit(tx, {
        actorId: userId,
        projectId,
        action: "article.status",
        objectType: "article",
        objectId: articleId,
        before: { userId, status: before },
        after: { userId, status },
      });
    }
    return { status };
  });
}

/** The caller's own progress on an article (NEW until they start). Call after an access check. */
export async function getMyArticleStatus({ userId, articleId }: { userId: string; articleId: string }) {
  const row = await db.annotatorArticleStatus.findUnique({ where: { articleId_userId: { articleId, userId } }, select: { status: true } });
  return row?.status ?? "NEW";
}
