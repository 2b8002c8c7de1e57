import "server-only";
import { db } from "@/lib/db";
import { annotationSelect, serializeAnnotation } from "@/lib/server/annotations/serialize";
import { requireAnnotationCustody } from "./access";
import { describeLabel, labelAction, listChanges, parseSnapshot, summarizeEvent, type FieldChange, type ReadableAnnotation } from "./readable";

/** GET /api/annotations/:id/history, one audit event. `actor` is null for changes the system made (e.g. demo seed). */
export interface HistoryEvent {
  id: string;
  at: string;
  actor: { id: string; name: string } | null;
  /** The audit action: `annotation.create`, `annotation.update`, `annotation.delete`, `annotation.restore`. */
  action: string;
  /** The action as a person says it: "Created", "Changed", "Deleted", "Restored", "Restored with its layer". */
  label: string;
  /** The event in one sentence, e.g. "Changed Entity type: PER → ORG". */
  summary: string;
  /** Shared by the restore events of one layer restore; null otherwise. */
  batchId: string | null;
  before: ReadableAnnotation | null;
  after: ReadableAnnotation | null;
  changes: FieldChange[];
}

export interface AnnotationHistory {
  annotation: {
    id: string;
    projectId: string;
    articleId: string;
    layer: "user" | "gold";
    annotator: { id: string; name: string } | null;
    /** One line: "PER mention of Vladimir Putin (PER)" or "stance: … AGAINST …". */
    label: string;
    current: ReadableAnnotation;
    version: number;
    createdAt: string;
    deletedAt: string | null;
  };
  /** True when the annotation is deleted (and the caller, who may read this, may restore it). */
  canRestore: boolean;
  /** Oldest first. */
  events: HistoryEvent[];
}

const deletedAccountName = "(deleted account)";

/**
 * An annotation's history from the audit log, oldest first, deleted annotations included. Only the annotator
 * whose layer holds it and the project's reviewers and owners may read it: others get `not_found` (another
 * annotator, outsiders) or `forbidden` (an annotator asking about a gold item). Changes that were not logged per
 * annotation (an entity merge relinks mentions with one `entity.merge` event) show only as the difference between
 * the last event and `annotation.current`.
 */
export async function getAnnotationHistory({ userId, annotationId }: { userId: string; annotationId: string }): Promise<AnnotationHistory> {
  const { annotation: access } = await requireAnnotationCustody({ userId, annotationId });
  const [row, audit] = await Promise.all([
    db.annotation.findUniqueOrThrow({ where: { id: annotationId }, select: annotationSelect }),
    db.auditEvent.findMany({
      where: { objectType: "annotation", objectId: annotationId },
      orderBy: [{ at: "asc" }, { id: "asc" }],
      select: { id: true, at: true, actorId: true, action: true, before: true, after: true },
    }),
  ]);
  const actorIds = [...new Set(audit.flatMap((event) => (event.actorId ? [event.actorId] : [])))];
  const actors = new Map((await db.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, name: true } })).map((user) => [user.id, user.name]));
  const json = serializeAnnotation(row);
  // serializeAnnotation's output always fits the snapshot schema.
  const current = parseSnapshot(json)!.annotation;
  return {
    annotation: {
      id: json.id,
      projectId: access.projectId,
      articleId: json.articleId,
      layer: json.layer,
      annotator: json.annotator,
      label: describeLabel(current),
      current,
      version: json.version,
      createdAt: json.createdAt,
      deletedAt: json.deletedAt,
    },
    canRestore: json.deletedAt !== null,
    events: audit.map((event) => {
      const before = parseSnapshot(event.before)?.annotation ?? null;
      const parsedAfter = parseSnapshot(event.after);
      const after = parsedAfter?.annotation ?? null;
      const batchId = parsedAfter?.batchId ?? null;
      const changes = listChanges(before, after);
      return {
        id: event.id.toString(),
        at: event.at.toISOString(),
        actor: event.actorId ? { id: event.actorId, name: actors.get(event.actorId) ?? deletedAccountName } : null,
        action: event.action,
        label: labelAction(event.action, batchId),
        summary: summarizeEvent(event.action, after, changes, batchId),
        batchId,
        before,
        after,
        changes,
      };
    }),
  };
}
