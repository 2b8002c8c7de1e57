import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { parseBratZip } from "@/lib/import/brat-zip";
import { parseDatasetJsonl } from "@/lib/import/dataset-jsonl";
import { matchLabel } from "@/lib/import/labels";
import { ImportInputError, type ImportDataset, type ImportProblem, type SourceLayer } from "@/lib/import/model";
import { slugify } from "@/lib/export/model";
import { toAppError } from "@/lib/server/api/errors";
import { sha256Hex, toCanonicalArticleText } from "@/lib/server/articles/articles";
import { createArticleSchema } from "@/lib/validation/article";
import { datasetFormatOf, datasetImportAccept, type BratRootLayer, type DatasetImportedFile, type DatasetImportResult, type DatasetRefusal } from "@/lib/validation/dataset-import";
import { entityNameKey } from "@/lib/validation/entity";
import { constantColumn, insertRows, lookupColumn, textArrayColumn } from "./bulk-insert";
import { newId } from "./ids";
import { auditColumns, resolveEntities } from "./resolve-entities";

interface ProjectContext {
  projectId: string;
  userId: string;
  userName: string;
  types: Map<string, string>;
  polarities: Map<string, string>;
  members: { id: string; name: string }[];
}

async function loadProjectContext(userId: string, projectId: string): Promise<ProjectContext> {
  const project = await db.project.findUniqueOrThrow({
    where: { id: projectId },
    select: {
      entityTypes: { select: { id: true, name: true }, orderBy: { position: "asc" } },
      polarities: { select: { id: true, name: true }, orderBy: { position: "asc" } },
      memberships: { select: { user: { select: { id: true, name: true } } }, orderBy: { createdAt: "asc" } },
    },
  });
  const members = project.memberships.map((membership) => membership.user);
  return {
    projectId,
    userId,
    userName: members.find((member) => member.id === userId)?.name ?? "you",
    types: new Map(project.entityTypes.map((type) => [type.name, type.id])),
    polarities: new Map(project.polarities.map((polarity) => [polarity.name, polarity.id])),
    members,
  };
}

/** Entity types and polarities of a jsonl file: each must be the project's (brat files are checked while read). */
function checkLabels(dataset: ImportDataset, ctx: ProjectContext): void {
  const types = [...ctx.types.keys()];
  const polarities = [...ctx.polarities.keys()];
  const problems: ImportProblem[] = [];
  for (const article of dataset.articles) {
    for (const annotation of article.annotations) {
      if (annotation.entityType !== null) {
        const type = matchLabel(annotation.entityType, types);
        if (type) annotation.entityType = type;
        else problems.push({ file: annotation.file, line: annotation.line, message: `annotation ${annotation.sourceId}: unknown entity type ${JSON.stringify(annotation.entityType)}; this project's entity types are ${types.join(", ")}.` });
      }
      if (annotation.stance) {
        const polarity = matchLabel(annotation.stance.polarity, polarities);
        if (polarity) annotation.stance.polarity = polarity;
        else problems.push({ file: annotation.file, line: annotation.line, message: `annotation ${annotation.sourceId}: unknown polarity ${JSON.stringify(annotation.stance.polarity)}; this project's polarities are ${polarities.join(", ")}.` });
      }
      if (problems.length >= 20) throw new ImportInputError(problems);
    }
  }
  for (const ref of dataset.entities.values()) {
    if (ref.type === null) continue;
    const type = matchLabel(ref.type, types);
    if (type) ref.type = type;
    else problems.push({ file: ref.seenAt?.file ?? "", line: ref.seenAt?.line, message: `the entity ${JSON.stringify(ref.name)} has the unknown type ${JSON.stringify(ref.type)}; this project's entity types are ${types.join(", ")}.` });
  }
  if (problems.length) throw new ImportInputError(problems.slice(0, 20));
}

type TargetLayer = { layer: "gold"; userId: null } | { layer: "user"; userId: string };

/**
 * Where a file's layer goes. gold → gold. An annotator → the member with the same user id (an export of this
 * Spanlight), else the one member with the same name (jsonl) or name slug (brat folder), else the importer's own
 * layer. brat files outside layer folders → the `layer` field (the importer's layer, or gold).
 */
function layerResolver(ctx: ProjectContext, rootLayer: BratRootLayer, report: { from: string; to: string }[], notes: string[]) {
  const cache = new Map<string, TargetLayer>();
  const mine: TargetLayer = { layer: "user", userId: ctx.userId };
  const nameOf = (target: TargetLayer) => (target.layer === "gold" ? "gold" : (ctx.members.find((member) => member.id === target.userId)?.name ?? target.userId));
  return (source: SourceLayer): TargetLayer => {
    const key = JSON.stringify(source);
    const known = cache.get(key);
    if (known) return known;
    let target: TargetLayer;
    let from: string;
    if (source.kind === "gold") [target, from] = [{ layer: "gold", userId: null }, "gold"];
    else if (source.kind === "default") [target, from] = [rootLayer === "gold" ? { layer: "gold", userId: null } : mine, "files outside layer folders"];
    else {
      const { id, name, slug } = source.annotator;
      from = name ?? slug ?? id ?? "an annotator without a name";
      const byId = id ? ctx.members.find((member) => member.id === id) : undefined;
      const byName = name ? ctx.members.filter((member) => entityNameKey(member.name) === entityNameKey(name)) : [];
      const bySlug = slug ? ctx.members.filter((member) => slugify(member.name) === slug) : [];
      const member = byId ?? (byName.length === 1 ? byName[0] : undefined) ?? (bySlug.length === 1 ? bySlug[0] : undefined);
      target = member ? { layer: "user", userId: member.id } : mine;
      if (!member) notes.push(`No member of this project is ${JSON.stringify(from)}: that layer was imported into your own layer.`);
    }
    cache.set(key, target);
    report.push({ from, to: nameOf(target) });
    return target;
  };
}

/** Validates the articles (title, text size) before anything is written. */
function checkArticles(dataset: ImportDataset): { title: string; text: string; source: string | null }[] {
  const problems: ImportProblem[] = [];
  const valid = dataset.articles.map((article) => {
    try {
      const parsed = createArticleSchema.parse({ title: article.title, text: article.text, source: article.source });
      toCanonicalArticleText(parsed.text);
      return { title: parsed.title, text: article.text, source: parsed.source ?? null };
    } catch (error) {
      problems.push({ file: article.file, line: article.line, message: toAppError(error).message });
      return null;
    }
  });
  if (problems.length) throw new ImportInputError(problems.slice(0, 20));
  return valid as { title: string; text: string; source: string | null }[];
}

/** An annotation row as the import writes it: repeated ids as indexes into the statement's lists (bulk-insert.ts). */
interface AnnotationRow {
  id: string;
  articleIndex: number;
  /** the layer's user (null: gold) */
  userIndex: number | null;
  isStance: boolean;
  start: number;
  end: number;
  quote: string;
  typeIndex: number | null;
  entityIndex: number | null;
  holderIndex: number | null;
  targetIndex: number | null;
  polarityIndex: number | null;
  derivedFromIds: string[];
}

/** Distinct values, each with its index in `values`. */
function indexer() {
  const values: string[] = [];
  const indexOf = new Map<string, number>();
  return {
    values,
    of(value: string | null | undefined): number | null {
      if (value === null || value === undefined) return null;
      let index = indexOf.get(value);
      if (index === undefined) indexOf.set(value, (index = values.push(value) - 1));
      return index;
    },
  };
}

/** One uploaded file: parsed and checked whole, then written in one transaction (all of it or nothing). */
async function importDatasetFile({ file, fileName, ctx, rootLayer, batchRows }: { file: File; fileName: string; ctx: ProjectContext; rootLayer: BratRootLayer; batchRows?: number }): Promise<DatasetImportedFile> {
  const format = datasetFormatOf(fileName);
  if (!format) {
    throw new AppError("unsupported_media_type", `${fileName}: only ${datasetImportAccept.replaceAll(",", " and ")} files can be imported here (a Spanlight .jsonl export, or a brat collection zipped). Plain articles are imported on the Articles page.`);
  }
  if (file.size === 0) throw new AppError("validation_failed", `${fileName} is empty.`);
  const bytes = new Uint8Array(await file.arrayBuffer());
  const labels = { entityTypes: [...ctx.types.keys()], polarities: [...ctx.polarities.keys()] };
  const dataset = format === "jsonl" ? parseDatasetJsonl(bytes, fileName) : parseBratZip(bytes, fileName, labels);
  checkLabels(dataset, ctx);
  const articles = checkArticles(dataset);
  const layers: { from: string; to: string }[] = [];
  const notes = [...dataset.notes];
  const targetOf = layerResolver(ctx, rootLayer, layers, notes);
  const hashes = articles.map((article) => sha256Hex(article.text));

  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT 1 FROM "Project" WHERE "id" = ${ctx.projectId} FOR UPDATE`;
      const now = new Date();
      const { resolved, created, reused } = await resolveEntities(tx, dataset, ctx, { now, batchRows });
      const last = await tx.article.findFirst({ where: { projectId: ctx.projectId }, orderBy: { position: "desc" }, select: { position: true } });
      const firstPosition = (last?.position ?? 0) + 1;
      const articleIds = articles.map(() => newId());
      const versionIds = articles.map(() => newId());
      const withGold = new Set<number>();
      const newIdOf = new Map<string, string>();
      const users = indexer();
      const types = indexer();
      const entities = indexer();
      const polarities = indexer();
      const userRows: AnnotationRow[] = [];
      const goldRows: { row: AnnotationRow; derivedFrom: string[] }[] = [];
      for (const [index, article] of dataset.articles.entries()) {
        for (const annotation of article.annotations) {
          const target = targetOf(annotation.layer);
          const id = newId();
          newIdOf.set(annotation.sourceId, id);
          const { stance } = annotation;
          const row: AnnotationRow = {
            id,
            articleIndex: index,
            userIndex: users.of(target.userId),
            isStance: annotation.kind === "stance",
            start: annotation.start,
            end: annotation.end,
            quote: annotation.quote,
            typeIndex: types.of(annotation.entityType === null ? null : ctx.types.get(annotation.entityType)),
            entityIndex: entities.of(annotation.entityKey && resolved.get(annotation.entityKey)),
            holderIndex: entities.of(stance && resolved.get(stance.holderKey)),
            targetIndex: entities.of(stance && resolved.get(stance.targetKey)),
            polarityIndex: polarities.of(stance && ctx.polarities.get(stance.polarity)),
            derivedFromIds: [],
          };
          if (target.layer === "gold") {
            goldRows.push({ row, derivedFrom: annotation.derivedFrom });
            withGold.add(index);
          } else userRows.push(row);
        }
      }
      for (const { row, derivedFrom } of goldRows) row.derivedFromIds = derivedFrom.flatMap((source) => newIdOf.get(source) ?? []);
      const rows = [...userRows, ...goldRows.map(({ row }) => row)];
      const indexes = articles.map((_article, index) => index);

      await insertRows<number>(
        tx,
        "Article",
        [
          { name: "id", type: "text", value: (i) => articleIds[i]! },
          constantColumn("projectId", "text", ctx.projectId),
          { name: "position", type: "int4", value: (i) => firstPosition + i },
          constantColumn("createdById", "text", ctx.userId),
          { name: "reviewStatus", type: "bool", value: (i) => withGold.has(i), select: (v) => `CASE WHEN ${v} THEN 'IN_REVIEW'::"ReviewStatus" ELSE 'NEEDS_REVIEW'::"ReviewStatus" END` },
          constantColumn("createdAt", "timestamp(3)", now),
          constantColumn("updatedAt", "timestamp(3)", now),
        ],
        indexes,
        { batchRows },
      );
      await insertRows<number>(
        tx,
        "ArticleVersion",
        [
          { name: "id", type: "text", value: (i) => versionIds[i]! },
          { name: "articleId", type: "text", value: (i) => articleIds[i]! },
          constantColumn("version", "int4", 1),
          { name: "title", type: "text", value: (i) => articles[i]!.title },
          { name: "text", type: "text", value: (i) => articles[i]!.text },
          { name: "textSha256", type: "text", value: (i) => hashes[i]! },
          { name: "source", type: "text", value: (i) => articles[i]!.source },
          constantColumn("originalFileName", "text", fileName),
          constantColumn("originalFileType", "text", format === "jsonl" ? "application/x-ndjson" : "application/zip"),
          constantColumn("createdById", "text", ctx.userId),
          constantColumn("createdAt", "timestamp(3)", now),
        ],
        indexes,
        { batchRows },
      );
      await insertRows<AnnotationRow>(
        tx,
        "Annotation",
        [
          { name: "id", type: "text", value: (row) => row.id },
          constantColumn("projectId", "text", ctx.projectId),
          lookupColumn("articleId", articleIds, (row) => row.articleIndex),
          lookupColumn("articleVersionId", versionIds, (row) => row.articleIndex),
          // the layer follows from the user (a CHECK constraint says so): gold has none
          { name: "layer", type: "bool", value: (row) => row.userIndex === null, select: (v) => `CASE WHEN ${v} THEN 'gold'::"AnnotationLayer" ELSE 'user'::"AnnotationLayer" END` },
          lookupColumn("userId", users.values, (row) => row.userIndex),
          { name: "kind", type: "bool", value: (row) => row.isStance, select: (v) => `CASE WHEN ${v} THEN 'stance'::"AnnotationKind" ELSE 'entity'::"AnnotationKind" END` },
          { name: "start", type: "int4", value: (row) => row.start },
          { name: "end", type: "int4", value: (row) => row.end },
          { name: "quote", type: "text", value: (row) => row.quote },
          lookupColumn("entityTypeId", types.values, (row) => row.typeIndex),
          lookupColumn("entityId", entities.values, (row) => row.entityIndex),
          lookupColumn("holderEntityId", entities.values, (row) => row.holderIndex),
          lookupColumn("targetEntityId", entities.values, (row) => row.targetIndex),
          lookupColumn("polarityId", polarities.values, (row) => row.polarityIndex),
          textArrayColumn<AnnotationRow>("derivedFromIds", (row) => row.derivedFromIds),
          constantColumn("createdById", "text", ctx.userId),
          constantColumn("updatedById", "text", ctx.userId),
          constantColumn("createdAt", "timestamp(3)", now),
          constantColumn("updatedAt", "timestamp(3)", now),
        ],
        rows,
        { batchRows },
      );
      const summary = { file: fileName, format, articles: articles.length, annotations: rows.length, entitiesCreated: created, entitiesReused: reused, layers };
      await insertRows(
        tx,
        "AuditEvent",
        auditColumns(ctx, "article", now),
        [
          ...articles.map((article, index) => ({
            action: "article.create",
            objectId: articleIds[index]!,
            after: { title: article.title, textSha256: hashes[index]!, length: article.text.length, via: "dataset.import" },
          })),
          { action: "dataset.import", objectType: "project", objectId: ctx.projectId, after: summary },
        ],
        { batchRows },
      );
      return { ...summary, notes: notes.slice(0, 50), articleIds };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

/**
 * Imports each uploaded file on its own, in order, each in one transaction: a file with any problem is refused
 * whole (every problem found listed, with file and line) and the others still import. The caller has checked that
 * the user is a reviewer or owner of the project. `batchRows` (rows per INSERT statement, bulk-insert.ts) is for
 * tests that cross statement boundaries with small files.
 */
export async function importDatasetFiles({
  userId,
  projectId,
  files,
  rootLayer,
  batchRows,
}: {
  userId: string;
  projectId: string;
  files: File[];
  rootLayer: BratRootLayer;
  batchRows?: number;
}): Promise<DatasetImportResult> {
  const ctx = await loadProjectContext(userId, projectId);
  const result: DatasetImportResult = { imported: [], refused: [] };
  for (const [index, file] of files.entries()) {
    const fileName = file.name || `file ${index + 1}`;
    try {
      result.imported.push(await importDatasetFile({ file, fileName, ctx, rootLayer, batchRows }));
    } catch (error) {
      if (error instanceof ImportInputError) {
        for (const problem of error.problems) {
          const entry: DatasetRefusal = {
            file: problem.file || fileName,
            code: "validation_failed",
            status: 422,
            message: `${problem.file || fileName}${problem.line !== undefined ? ` line ${problem.line}` : ""}: ${problem.message} Nothing from ${fileName} was imported.`,
          };
          if (problem.line !== undefined) entry.line = problem.line;
          result.refused.push(entry);
        }
        continue;
      }
      const appError = toAppError(error);
      if (appError.status >= 500) console.error(`Dataset import of ${fileName} failed:`, error);
      result.refused.push({ file: fileName, code: appError.code, status: appError.status, message: appError.message.startsWith(fileName) ? appError.message : `${fileName}: ${appError.message}` });
    }
  }
  return result;
}
