import "server-only";
import { db } from "@/lib/db";
import type { AgreementAnnotator, ProjectAgreementInput } from "@/lib/review/agreement-input";

export type { ProjectAgreementInput };

/** One annotator's live annotations on one article version, aggregated in SQL (see below). */
interface LayerRow {
  articleVersionId: string;
  userId: string;
  /** JSON: [[kind, start, end, entityTypeId, holderEntityId, targetEntityId, polarityId], …] in no order. */
  items: string;
}

type LayerItem = ["entity" | "stance", number, number, string | null, string | null, string | null, string | null];

function byPosition(a: { start: number; end: number }, b: { start: number; end: number }): number {
  return a.start - b.start || a.end - b.end;
}

/**
 * Every article of the project at its current version with its participating annotators' live mentions and
 * stances, for computeAgreement. Six queries whatever the number of articles. The annotations come from the
 * (projectId, layer) index without joins, so that a plan misled by stale statistics right after a big import
 * cannot turn them into nested loops (it did: 12 s for 90,000 annotations), and aggregated to one JSON text per
 * annotator and article version, which the embedded database hands over three to four times faster than single rows.
 * No access check: call it after requireProjectRole.
 */
export async function loadProjectAgreementInput(projectId: string): Promise<ProjectAgreementInput> {
  const [articles, layers, finished, types, polarities] = await Promise.all([
    db.$queryRaw<{ id: string; versionId: string; title: string; text: string }[]>`
      SELECT a."id", v."id" AS "versionId", v."title", v."text"
      FROM "Article" a JOIN "ArticleVersion" v ON v."articleId" = a."id" AND v."version" = a."currentVersion"
      WHERE a."projectId" = ${projectId}
      ORDER BY a."position"`,
    db.$queryRaw<LayerRow[]>`
      SELECT "articleVersionId", "userId",
             json_agg(json_build_array("kind", "start", "end", "entityTypeId", "holderEntityId", "targetEntityId", "polarityId"))::text AS "items"
      FROM "Annotation"
      WHERE "projectId" = ${projectId} AND "layer" = 'user' AND "deletedAt" IS NULL
      GROUP BY "articleVersionId", "userId"`,
    db.annotatorArticleStatus.findMany({ where: { status: "FINISHED", article: { projectId } }, select: { articleId: true, userId: true } }),
    db.entityType.findMany({ where: { projectId }, orderBy: { position: "asc" }, select: { id: true, name: true } }),
    db.stancePolarity.findMany({ where: { projectId }, select: { id: true, name: true } }),
  ]);
  const typeNames = new Map(types.map((type) => [type.id, type.name]));
  const polarityNames = new Map(polarities.map((polarity) => [polarity.id, polarity.name]));
  const articleOfCurrentVersion = new Map(articles.map((article) => [article.versionId, article.id]));
  const byArticle = new Map<string, Map<string, AgreementAnnotator>>(articles.map((article) => [article.id, new Map()]));
  const annotatorOf = (articleId: string, userId: string) => {
    const annotators = byArticle.get(articleId)!;
    let annotator = annotators.get(userId);
    if (!annotator) annotators.set(userId, (annotator = { userId, mentions: [], stances: [] }));
    return annotator;
  };

  for (const layer of layers) {
    const articleId = articleOfCurrentVersion.get(layer.articleVersionId);
    if (articleId === undefined) continue;
    const items = (JSON.parse(layer.items) as LayerItem[]).map(([kind, start, end, entityTypeId, holderEntityId, targetEntityId, polarityId]) => ({
      kind,
      start,
      end,
      entityTypeId,
      holderEntityId,
      targetEntityId,
      polarityId,
    }));
    const annotator = annotatorOf(articleId, layer.userId);
    for (const item of items.sort(byPosition)) {
      if (item.kind === "entity") annotator.mentions.push({ start: item.start, end: item.end, label: typeNames.get(item.entityTypeId ?? "") ?? "" });
      else annotator.stances.push({ holderEntityId: item.holderEntityId!, targetEntityId: item.targetEntityId!, polarity: polarityNames.get(item.polarityId ?? "") ?? "" });
    }
  }
  for (const { articleId, userId } of finished) if (byArticle.has(articleId)) annotatorOf(articleId, userId);

  const userIds = [...new Set([...byArticle.values()].flatMap((annotators) => [...annotators.keys()]))];
  const users = await db.user.findMany({
    where: { OR: [{ id: { in: userIds } }, { memberships: { some: { projectId } } }] },
    select: { id: true, name: true, email: true },
  });
  return {
    articles: articles.map(({ versionId: _versionId, ...article }) => ({
      ...article,
      annotators: [...byArticle.get(article.id)!.values()].sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0)),
    })),
    labels: types.map((type) => type.name),
    annotatorNames: Object.fromEntries(users.map((user) => [user.id, user.name.trim() || user.email])),
  };
}
