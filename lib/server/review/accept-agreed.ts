import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { spanAndLabelsKey } from "@/lib/review/diff";
import type { ComparisonGroup, GoldAnnotationJson } from "@/lib/review/types";
import { auditJson, type AnnotationJson } from "@/lib/server/annotations/serialize";
import { requireArticleRole } from "@/lib/server/authz";
import type { GoldDraft } from "./gold-drafts";
import { loadLiveAnnotations } from "./live-annotations";
import { lockArticleForReview } from "./locked-article";
import { loadReviewState } from "./review-state";
import { markArticleInReview } from "./review-status";

function membersOf(group: ComparisonGroup): AnnotationJson[] {
  return Object.values(group.members).filter((member): member is AnnotationJson => member !== null);
}

/** A name's id, or `conflict` when the project's labels changed since the comparison read them. */
function idOfLabel(ids: Map<string, string>, name: string | null): string | null {
  if (name === null) return null;
  const id = ids.get(name);
  if (id === undefined) throw new AppError("conflict", `The project's label ${JSON.stringify(name)} changed meanwhile. Reload the review and try again.`);
  return id;
}

/** The gold item of an agreed group: its members' common span and labels, derived from all of them. */
function draftOfAgreedGroup(
  [first, ...rest]: AnnotationJson[],
  { typeIdByName, polarityIdByName }: { typeIdByName: Map<string, string>; polarityIdByName: Map<string, string> },
): GoldDraft {
  return {
    kind: first!.kind,
    start: first!.start,
    end: first!.end,
    quote: first!.quote,
    entityTypeId: idOfLabel(typeIdByName, first!.entityType),
    entityId: first!.entityId,
    holderEntityId: first!.holderEntityId,
    targetEntityId: first!.targetEntityId,
    polarityId: idOfLabel(polarityIdByName, first!.polarity),
    derivedFromIds: [first!, ...rest].map((member) => member.id),
  };
}

/**
 * Puts every agreed, unsettled comparison group of the article into gold in one transaction (reviewers and
 * owners): a copy of its members' common span and labels, derived from all of them. Groups already settled, and
 * a second group with the same span and labels as one accepted now, are skipped, so running it again creates
 * nothing. Returns the new gold items and the number of agreed groups skipped.
 */
export async function acceptAgreedGroups({ userId, articleId }: { userId: string; articleId: string }): Promise<{ created: GoldAnnotationJson[]; skipped: number }> {
  const { projectId } = await requireArticleRole({ userId, articleId, minimumRole: "reviewer" });
  return db.$transaction(
    async (tx) => {
      const { current } = await lockArticleForReview(tx, articleId);
      const { groups } = await loadReviewState(tx, { projectId, articleId, articleVersion: current });
      const agreed = groups.filter((group) => group.status === "agreed");
      const accepted = new Map<string, AnnotationJson[]>();
      for (const group of agreed) {
        const members = membersOf(group);
        const key = spanAndLabelsKey(members[0]!);
        if (!group.settled && !accepted.has(key)) accepted.set(key, members);
      }
      if (accepted.size === 0) return { created: [], skipped: agreed.length };

      // The labels as the comparison saw them (names, unique per project), not as they may be a moment later.
      const types = await tx.entityType.findMany({ where: { projectId }, select: { id: true, name: true } });
      const polarities = await tx.stancePolarity.findMany({ where: { projectId }, select: { id: true, name: true } });
      const typeIdByName = new Map(types.map((type) => [type.name, type.id]));
      const polarityIdByName = new Map(polarities.map((polarity) => [polarity.name, polarity.id]));
      const drafts = [...accepted.values()].map((members) => draftOfAgreedGroup(members, { typeIdByName, polarityIdByName }));
      const rows = await tx.annotation.createManyAndReturn({
        data: drafts.map((draft) => ({ projectId, articleId, articleVersionId: current.id, layer: "gold" as const, userId: null, ...draft, createdById: userId, updatedById: userId })),
        select: { id: true },
      });
      const { gold: created } = await loadLiveAnnotations(tx, { projectId, articleVersion: current, ids: rows.map((row) => row.id) });
      await tx.auditEvent.createMany({
        data: created.map((item) => ({ actorId: userId, projectId, action: "annotation.create", objectType: "annotation", objectId: item.id, after: auditJson(item) })),
      });
      await markArticleInReview(tx, { actorId: userId, projectId, articleId });
      return { created, skipped: agreed.length - created.length };
    },
    { timeout: 60_000 },
  );
}
