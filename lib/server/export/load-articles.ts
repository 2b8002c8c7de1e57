import "server-only";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ExportAnnotation, ExportArticle, ExportLayer } from "@/lib/export/model";

export const exportBatchSize = 50;

const exportAnnotationSelect = {
  id: true,
  articleVersionId: true,
  layer: true,
  kind: true,
  start: true,
  end: true,
  quote: true,
  derivedFromIds: true,
  createdAt: true,
  updatedAt: true,
  user: { select: { id: true, name: true } },
  entityType: { select: { name: true } },
  entity: { select: { id: true, name: true, aliases: true, entityType: { select: { name: true } } } },
  holderEntity: { select: { id: true, name: true } },
  targetEntity: { select: { id: true, name: true } },
  polarity: { select: { name: true } },
} satisfies Prisma.AnnotationSelect;

type Row = Prisma.AnnotationGetPayload<{ select: typeof exportAnnotationSelect }>;

function toExportAnnotation(row: Row): ExportAnnotation {
  return {
    id: row.id,
    layer: row.layer,
    annotator: row.user,
    kind: row.kind,
    start: row.start,
    end: row.end,
    quote: row.quote,
    entity: row.entity ? { id: row.entity.id, name: row.entity.name, type: row.entity.entityType.name, aliases: row.entity.aliases } : null,
    entityType: row.entityType?.name ?? null,
    stance:
      row.kind === "stance" && row.holderEntity && row.targetEntity && row.polarity
        ? { holder: row.holderEntity, target: row.targetEntity, polarity: row.polarity.name }
        : null,
    derivedFromIds: row.derivedFromIds,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function layerWhere(layer: ExportLayer): Prisma.AnnotationWhereInput {
  if (layer.kind === "gold") return { layer: "gold" };
  if (layer.kind === "user") return { layer: "user", userId: layer.user.id };
  return {};
}

async function loadBatch(articleIds: string[], layer: ExportLayer, types: string[] | null): Promise<ExportArticle[]> {
  const articles = await db.article.findMany({ where: { id: { in: articleIds } }, select: { id: true, position: true, currentVersion: true }, orderBy: { position: "asc" } });
  if (!articles.length) return [];
  const versions = await db.articleVersion.findMany({
    where: { OR: articles.map((article) => ({ articleId: article.id, version: article.currentVersion })) },
    select: { id: true, articleId: true, version: true, title: true, text: true, textSha256: true, source: true },
  });
  const rows = await db.annotation.findMany({
    where: {
      articleVersionId: { in: versions.map((version) => version.id) },
      deletedAt: null,
      ...layerWhere(layer),
      ...(types ? { OR: [{ kind: "stance" }, { kind: "entity", entityType: { name: { in: types } } }] } : {}),
    },
    select: exportAnnotationSelect,
    orderBy: [{ start: "asc" }, { end: "asc" }, { id: "asc" }],
  });
  const byVersion = new Map<string, ExportAnnotation[]>();
  for (const row of rows) {
    let list = byVersion.get(row.articleVersionId);
    if (!list) byVersion.set(row.articleVersionId, (list = []));
    list.push(toExportAnnotation(row));
  }
  const versionOf = new Map(versions.map((version) => [version.articleId, version]));
  return articles.flatMap((article) => {
    const version = versionOf.get(article.id);
    if (!version) return [];
    return [{ id: article.id, title: version.title, source: version.source, text: version.text, textSha256: version.textSha256, version: version.version, annotations: byVersion.get(version.id) ?? [] }];
  });
}

/**
 * The chosen articles' current versions with their live annotations in `layer`, `exportBatchSize` articles per
 * query round (the next batch is fetched while the caller writes this one), so memory holds about two batches
 * whatever the project's size. Articles deleted meanwhile are skipped.
 */
export async function* loadExportArticles({ articleIds, layer, types }: { articleIds: string[]; layer: ExportLayer; types: string[] | null }): AsyncGenerator<ExportArticle> {
  let next: Promise<ExportArticle[]> | null = articleIds.length ? loadBatch(articleIds.slice(0, exportBatchSize), layer, types) : null;
  for (let from = 0; next; from += exportBatchSize) {
    const batch: ExportArticle[] = await next;
    const following = from + exportBatchSize;
    next = following < articleIds.length ? loadBatch(articleIds.slice(following, following + exportBatchSize), layer, types) : null;
    yield* batch;
  }
}
