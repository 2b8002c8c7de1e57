import "server-only";
import { db, type DbTransaction } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { ReviewNoteJson } from "@/lib/review/types";
import { recordAudit } from "@/lib/server/audit";
import { requireArticleRole } from "@/lib/server/authz";
import type { ReviewNoteInput } from "@/lib/validation/review";
import { lockArticleForReview } from "./locked-article";
import { reviewNoteFields, serializeReviewNote } from "./review-notes";
import { loadReviewState } from "./review-state";

async function readNote(tx: DbTransaction, noteId: string): Promise<ReviewNoteJson> {
  const row = await tx.reviewNote.findUniqueOrThrow({ where: { id: noteId }, select: reviewNoteFields });
  const author = await tx.user.findUnique({ where: { id: row.updatedById }, select: { id: true, name: true } });
  return serializeReviewNote(row, author);
}

function staleNote(current: ReviewNoteJson | null, sent: number | undefined): AppError {
  const now = current ? `is at version ${current.version}` : "has no note yet";
  const was = sent === undefined ? "you sent no version (as if it had none)" : `you sent version ${sent}`;
  return new AppError("stale_version", `This group's note ${now}, but ${was}: another reviewer changed it since you read it. Reload the review and try again.`, {
    currentVersion: current?.version ?? null,
    note: current,
  });
}

/**
 * Records a reviewer's note on, and/or decision about, one comparison group of the article (reviewers and owners).
 * The first write for a group must name a group of the article as it is now (`not_found` otherwise) and send no
 * version; later writes must send the version they read (`stale_version` otherwise). Returns the note and whether
 * it was created. A write that changes nothing returns the note as it is.
 */
export async function saveReviewNote({ userId, articleId, input }: { userId: string; articleId: string; input: ReviewNoteInput }): Promise<{
  note: ReviewNoteJson;
  created: boolean;
}> {
  const { projectId } = await requireArticleRole({ userId, articleId, minimumRole: "reviewer" });
  return db.$transaction(async (tx) => {
    const { current } = await lockArticleForReview(tx, articleId);
    const existing = await tx.reviewNote.findUnique({ where: { articleId_groupKey: { articleId, groupKey: input.groupKey } }, select: { id: true } });
    const before = existing ? await readNote(tx, existing.id) : null;
    if (before?.version !== input.version) throw staleNote(before, input.version);

    if (!existing) {
      const { groups } = await loadReviewState(tx, { projectId, articleId, articleVersion: current });
      if (!groups.some((group) => group.key === input.groupKey)) {
        throw new AppError(
          "not_found",
          `This article has no comparison group ${JSON.stringify(input.groupKey)}: annotators may have changed their annotations since you loaded the review. Reload it and try again.`,
          { groupKey: input.groupKey },
        );
      }
    }
    const changes = { ...(input.decision !== undefined ? { decision: input.decision } : {}), ...(input.note !== undefined ? { note: input.note } : {}) };
    if (before && Object.entries(changes).every(([field, value]) => before[field as keyof typeof changes] === value)) return { note: before, created: false };

    const row = existing
      ? await tx.reviewNote.update({ where: { id: existing.id }, data: { ...changes, version: { increment: 1 }, updatedById: userId }, select: { id: true } })
      : await tx.reviewNote.create({ data: { articleId, groupKey: input.groupKey, ...changes, createdById: userId, updatedById: userId }, select: { id: true } });
    const note = await readNote(tx, row.id);
    await recordAudit(tx, {
      actorId: userId,
      projectId,
      action: existing ? "review_note.update" : "review_note.create",
      objectType: "review_note",
      objectId: row.id,
      ...(before ? { before: { ...before } } : {}),
      after: { ...note },
    });
    return { note, created: !existing };
  });
}
