import "server-only";
import type { DbTransaction } from "@/lib/db";
import { diffAnnotations } from "@/lib/review/diff";
import type { ArticleReviewJson } from "@/lib/review/types";
import { loadLiveAnnotations } from "./live-annotations";
import { loadParticipants } from "./participants";
import { listReviewNotes } from "./review-notes";

/** The comparison groups, gold layer, participants and notes of an article's current version. Call after an access check. */
export async function loadReviewState(
  client: DbTransaction,
  { projectId, articleId, articleVersion }: { projectId: string; articleId: string; articleVersion: { id: string; version: number; text: string } },
): Promise<Omit<ArticleReviewJson, "article">> {
  const { annotations, gold } = await loadLiveAnnotations(client, { projectId, articleVersion });
  const annotators = await loadParticipants(client, { articleId, annotatedBy: annotations.map((annotation) => annotation.userId!) });
  const notes = await listReviewNotes(client, articleId);
  const groups = diffAnnotations({
    annotations,
    annotatorIds: annotators.map((annotator) => annotator.id),
    gold,
    rejectedGroupKeys: notes.filter((note) => note.decision === "rejected").map((note) => note.groupKey),
  });
  return { annotators, groups, gold, notes };
}
