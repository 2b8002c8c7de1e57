import "server-only";
import { db, type DbTransaction } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { parseBratZip } from "@/lib/import/brat-zip";
import { parseDatasetJsonl } from "@/lib/import/dataset-jsonl";
import { matchLabel } from "@/lib/import/labels";
import { ImportInputError, type EntityRef, type ImportDataset, type ImportProblem, type SourceLayer } from "@/lib/import/model";
import { slugify } from "@/lib/export/model";
import { toAppError } from "@/lib/server/api/errors";
import { sha256Hex, toCanonicalArticleText } from "@/lib/server/articles/articles";
import { lockEntityType } from "@/lib/server/entities/entity-types";
import { createArticleSchema } from "@/lib/validation/article";
import { datasetFormatOf, datasetImportAccept, type BratRootLayer, type DatasetImportedFile, type DatasetImportResult, type DatasetRefusal } from "@/lib/validation/dataset-import";
import { entityNameKey, normalizeAliases } from "@/lib/validation/entity";
import { newId } from "./ids";

const chunkSize = 5000;

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

interface ExistingEntity {
  id: string;
  name: string;
  aliases: string[];
  entityTypeId: string;
  isNew: boolean;
}

/**
 * The project entity of every reference, finding or planning each one. Entities with a type (an export's entity, a
 * brat normalization) first: the entity of that type with the same name, else one with it as an alias, else a new
 * one with the reference's aliases (aliases it brings are added to an entity found). Then mentions without an
 * entity (find or create by the mention text, name or alias). Then names without a type (jsonl stance holders and
 * targets never mentioned in the file): the one entity of any type with that name, else refused.
 */
async function resolveEntities(tx: DbTransaction, dataset: ImportDataset, ctx: ProjectContext) {
  const typeIds = [...new Set([...dataset.entities.values()].flatMap((ref) => (ref.type ? [ctx.types.get(ref.type)!] : [])))].sort();
  for (const typeId of typeIds) await lockEntityType(tx, typeId);
  const rows = await tx.entity.findMany({ where: { projectId: ctx.projectId }, select: { id: true, name: true, aliases: true, entityTypeId: true }, orderBy: { createdAt: "asc" } });
  const entities: ExistingEntity[] = rows.map((row) => ({ ...row, isNew: false }));
  const byName = new Map<string, ExistingEntity>();
  for (const entity of entities) if (!byName.has(`${entity.entityTypeId}\u0000${entityNameKey(entity.name)}`)) byName.set(`${entity.entityTypeId}\u0000${entityNameKey(entity.name)}`, entity);
  const byAlias = (typeId: string | null, key: string) => entities.filter((entity) => (typeId === null || entity.entityTypeId === typeId) && entity.aliases.some((alias) => entityNameKey(alias) === key));
  const resolved = new Map<string, string>();
  const aliasUpdates = new Map<string, string[]>();
  let reused = 0;
  const create = (ref: EntityRef, typeId: string) => {
    const entity: ExistingEntity = { id: newId(), name: ref.name.trim(), aliases: normalizeAliases(ref.aliases, ref.name), entityTypeId: typeId, isNew: true };
    entities.push(entity);
    byName.set(`${typeId}\u0000${entityNameKey(entity.name)}`, entity);
    return entity;
  };
  const problems: ImportProblem[] = [];
  const refs = [...dataset.entities.values()];
  for (const ref of refs.filter((r) => r.type !== null && !r.byMentionText)) {
    const typeId = ctx.types.get(ref.type!)!;
    const key = entityNameKey(ref.name);
    let entity = byName.get(`${typeId}\u0000${key}`) ?? byAlias(typeId, key).find((candidate) => !candidate.isNew);
    if (entity && !entity.isNew) {
      reused++;
      const aliases = normalizeAliases([...entity.aliases, ...ref.aliases], entity.name);
      if (aliases.length !== entity.aliases.length) {
        entity.aliases = aliases;
        aliasUpdates.set(entity.id, aliases);
      }
    } else if (entity) entity.aliases = normalizeAliases([...entity.aliases, ...ref.aliases], entity.name);
    else entity = create(ref, typeId);
    resolved.set(ref.key, entity.id);
  }
  for (const ref of refs.filter((r) => r.byMentionText)) {
    const typeId = ctx.types.get(ref.type!)!;
    const key = entityNameKey(ref.name);
    let entity = byName.get(`${typeId}\u0000${key}`) ?? byAlias(typeId, key)[0];
    if (entity && !entity.isNew) reused++;
    if (!entity) entity = create(ref, typeId);
    resolved.set(ref.key, entity.id);
  }
  for (const ref of refs.filter((r) => r.type === null)) {
    const key = entityNameKey(ref.name);
    const named = entities.filter((entity) => entityNameKey(entity.name) === key);
    const candidates = named.length ? named : byAlias(null, key);
    if (candidates.length === 1) {
      resolved.set(ref.key, candidates[0]!.id);
      if (!candidates[0]!.isNew) reused++;
      continue;
    }
    problems.push({
      file: ref.seenAt?.file ?? "",
      line: ref.seenAt?.line,
      message:
        candidates.length > 1
          ? `the stance names the entity ${JSON.stringify(ref.name)}, and the project has ${candidates.length} entities of that name (of different types): the file does not say which.`
          : `the stance names the entity ${JSON.stringify(ref.name)}, which no mention in this file refers to and which the project does not have: its type is unknown. Add it to the project's entities first, or import a layer that mentions it.`,
    });
  }
  if (problems.length) throw new ImportInputError(problems.slice(0, 20));
  const created = entities.filter((entity) => entity.isNew);
  for (let i = 0; i < created.length; i += chunkSize) {
    await tx.entity.createMany({ data: created.slice(i, i + chunkSize).map(({ id, name, aliases, entityTypeId }) => ({ id, projectId: ctx.projectId, name, aliases, entityTypeId })) });
  }
  for (const [id, aliases] of aliasUpdates) await tx.entity.update({ where: { id }, data: { aliases } });
  await tx.auditEvent.createMany({
    data: [
      ...created.map((entity) => ({ actorId: ctx.userId, projectId: ctx.projectId, action: "entity.create", objectType: "entity", objectId: entity.id, after: { name: entity.name, aliases: entity.aliases, entityTypeId: entity.entityTypeId, via: "dataset.import" } })),
      ...[...aliasUpdates].map(([id, aliases]) => ({ actorId: ctx.userId, projectId: ctx.projectId, action: "entity.update", objectType: "entity", objectId: id, after: { aliases, via: "dataset.import" } })),
    ],
  });
  return { resolved, created: created.length, reused };
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

/** One uploaded file: parsed and checked whole, then written in one transaction (all of it or nothing). */
async function importDatasetFile({ file, fileName, ctx, rootLayer }: { file: File; fileName: string; ctx: ProjectContext; rootLayer: BratRootLayer }): Promise<DatasetImportedFile> {
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

  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT 1 FROM "Project" WHERE "id" = ${ctx.projectId} FOR UPDATE`;
      const { resolved, created, reused } = await resolveEntities(tx, dataset, ctx);
      const last = await tx.article.findFirst({ where: { projectId: ctx.projectId }, orderBy: { position: "desc" }, select: { position: true } });
      const firstPosition = (last?.position ?? 0) + 1;
      const articleIds = articles.map(() => newId());
      const versionIds = articles.map(() => newId());
      const withGold = new Set<string>();
      const newIdOf = new Map<string, string>();
      const userRows: Prisma.AnnotationCreateManyInput[] = [];
      const goldRows: { row: Prisma.AnnotationCreateManyInput; derivedFrom: string[] }[] = [];
      for (const [index, article] of dataset.articles.entries()) {
        for (const annotation of article.annotations) {
          const target = targetOf(annotation.layer);
          const id = newId();
          newIdOf.set(annotation.sourceId, id);
          const row = {
            id,
            projectId: ctx.projectId,
            articleId: articleIds[index]!,
            articleVersionId: versionIds[index]!,
            layer: target.layer,
            userId: target.userId,
            kind: annotation.kind,
            start: annotation.start,
            end: annotation.end,
            quote: annotation.quote,
            entityTypeId: annotation.entityType ? ctx.types.get(annotation.entityType)! : null,
            entityId: annotation.entityKey ? resolved.get(annotation.entityKey)! : null,
            holderEntityId: annotation.stance ? resolved.get(annotation.stance.holderKey)! : null,
            targetEntityId: annotation.stance ? resolved.get(annotation.stance.targetKey)! : null,
            polarityId: annotation.stance ? ctx.polarities.get(annotation.stance.polarity)! : null,
            createdById: ctx.userId,
            updatedById: ctx.userId,
          };
          if (target.layer === "gold") {
            goldRows.push({ row, derivedFrom: annotation.derivedFrom });
            withGold.add(articleIds[index]!);
          } else userRows.push(row);
        }
      }
      await tx.article.createMany({
        data: articles.map((_article, index) => ({
          id: articleIds[index]!,
          projectId: ctx.projectId,
          position: firstPosition + index,
          createdById: ctx.userId,
          reviewStatus: withGold.has(articleIds[index]!) ? ("IN_REVIEW" as const) : ("NEEDS_REVIEW" as const),
        })),
      });
      await tx.articleVersion.createMany({
        data: articles.map((article, index) => ({
          id: versionIds[index]!,
          articleId: articleIds[index]!,
          version: 1,
          title: article.title,
          text: article.text,
          textSha256: sha256Hex(article.text),
          source: article.source,
          originalFileName: fileName,
          originalFileType: format === "jsonl" ? "application/x-ndjson" : "application/zip",
          createdById: ctx.userId,
        })),
      });
      const rows = [
        ...userRows,
        ...goldRows.map(({ row, derivedFrom }) => ({ ...row, derivedFromIds: derivedFrom.flatMap((source) => newIdOf.get(source) ?? []) })),
      ];
      for (let i = 0; i < rows.length; i += chunkSize) await tx.annotation.createMany({ data: rows.slice(i, i + chunkSize) });
      await tx.auditEvent.createMany({
        data: [
          ...articles.map((article, index) => ({
            actorId: ctx.userId,
            projectId: ctx.projectId,
            action: "article.create",
            objectType: "article",
            objectId: articleIds[index]!,
            after: { title: article.title, textSha256: sha256Hex(article.text), length: article.text.length, via: "dataset.import" },
          })),
          {
            actorId: ctx.userId,
            projectId: ctx.projectId,
            action: "dataset.import",
            objectType: "project",
            objectId: ctx.projectId,
            after: { file: fileName, format, articles: articles.length, annotations: rows.length, entitiesCreated: created, entitiesReused: reused, layers },
          },
        ],
      });
      return { file: fileName, format, articles: articles.length, annotations: rows.length, entitiesCreated: created, entitiesReused: reused, layers, notes: notes.slice(0, 50), articleIds };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

/**
 * Imports each uploaded file on its own, in order, each in one transaction: a file with any problem is refused
 * whole (every problem found listed, with file and line) and the others still import. The caller has checked that
 * the user is a reviewer or owner of the project.
 */
export async function importDatasetFiles({ userId, projectId, files, rootLayer }: { userId: string; projectId: string; files: File[]; rootLayer: BratRootLayer }): Promise<DatasetImportResult> {
  const ctx = await loadProjectContext(userId, projectId);
  const result: DatasetImportResult = { imported: [], refused: [] };
  for (const [index, file] of files.entries()) {
    const fileName = file.name || `file ${index + 1}`;
    try {
      result.imported.push(await importDatasetFile({ file, fileName, ctx, rootLayer }));
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
