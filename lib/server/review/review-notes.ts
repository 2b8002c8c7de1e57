import "server-only";
import type { DbTransaction } from "@/lib/db";
import type { ReviewNoteJson } from "@/lib/review/types";

export const reviewNoteFields = {
  id: true,
  articleId: true,
  groupKey: true,
  decision: true,
  note: true,
  version: true,
  updatedById: true,
  createdAt: true,
  updatedAt: true,
} as const;

interface ReviewNoteRow {
  id: string;
  articleId: string;
  groupKey: string;
  decision: "rejected" | null;
  note: string | null;
  version: number;
  updatedById: string;
  createdAt: Date;
  updatedAt: Date;
}

export function serializeReviewNote({ updatedById: _updatedById, ...row }: ReviewNoteRow, author: { id: string; name: string } | null): ReviewNoteJson {
  return { ...row, author, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}

/** The review notes and decisions of an article, oldest first, each with the reviewer who last changed it. */
export async function listReviewNotes(client: DbTransaction, articleId: string): Promise<ReviewNoteJson[]> {
  const rows = await client.reviewNote.findMany({ where: { articleId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: reviewNoteFields });
  const authorIds = [...new Set(rows.map((row) => row.updatedById))];
  const authors = authorIds.length ? await client.user.findMany({ where: { id: { in: authorIds } }, select: { id: true, name: true } }) : [];
  const authorById = new Map(authors.map((author) => [author.id, author]));
  return rows.map((row) => serializeReviewNote(row, authorById.get(row.updatedById) ?? null));
}
