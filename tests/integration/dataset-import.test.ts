import { execFileSync } from "node:child_process";
import { strToU8, zipSync } from "fflate";
import { beforeAll, describe, expect, test } from "vitest";
import { GET as annotationsRoute } from "@/app/api/articles/[id]/annotations/route";
import { POST as acceptAgreedRoute } from "@/app/api/articles/[id]/gold/accept-agreed/route";
import { POST as goldRoute } from "@/app/api/articles/[id]/gold/route";
import { POST as login } from "@/app/api/auth/login/route";
import { GET as exportRoute } from "@/app/api/projects/[id]/export/route";
import { POST as importRoute } from "@/app/api/projects/[id]/import/route";
import { db } from "@/lib/db";
import { importDatasetFiles } from "@/lib/server/dataset-import/import-dataset";
import { seedDemoProject } from "@/lib/server/demo/seed";
import type { DatasetImportResult } from "@/lib/validation/dataset-import";
import { callRoute, expectApiError, sessionCookieFrom } from "../helpers/api";
import { buildArticle, buildEntity, buildMention, buildProject, buildStance, buildUser, type TestUser } from "../helpers/factories";

/*
 * POST /api/projects/:id/import through the real route handler: the native jsonl export and brat zips (Spanlight's
 * and hand-written ones), who may import, bad input refused whole with file and line; and the stance CSV of the
 * demo's gold layer read by Python's csv module.
 */

type Upload = { name: string; content: string | Uint8Array };

function importAs(user: TestUser | null, projectId: string, files: Upload[], fields: Record<string, string> = {}) {
  const form = new FormData();
  for (const file of files) form.append("file", new File([typeof file.content === "string" ? file.content : new Uint8Array(file.content)], file.name));
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return callRoute<DatasetImportResult & { error?: { message: string } }>(importRoute, "POST", `/api/projects/${projectId}/import`, { params: { id: projectId }, body: form, as: user?.cookie ?? null });
}

async function exportText(user: TestUser, projectId: string, query: string): Promise<string> {
  const request = new Request(`http://localhost/api/projects/${projectId}/export?${query}`, { headers: { cookie: user.cookie } });
  const response = await exportRoute(request, { params: Promise.resolve({ id: projectId }) });
  expect(response.status).toBe(200);
  return response.text();
}

async function exportBytes(user: TestUser, projectId: string, query: string): Promise<Uint8Array> {
  const request = new Request(`http://localhost/api/projects/${projectId}/export?${query}`, { headers: { cookie: user.cookie } });
  const response = await exportRoute(request, { params: Promise.resolve({ id: projectId }) });
  expect(response.status).toBe(200);
  return new Uint8Array(await response.arrayBuffer());
}

const zip = (files: Record<string, string>) => zipSync(Object.fromEntries(Object.entries(files).map(([name, content]) => [name, strToU8(content)])));
const text = "“Hollande” met 普京 in Moscow 🇫🇷👍🏽.\nThe cafe\u0301 said: ‘no deal’.\nPutin’s aide denied it.";
const cp = (t: string, utf16: number) => Array.from(t.slice(0, utf16)).length;

let owner: TestUser;
let reviewer: TestUser;
let ana: TestUser;
let ben: TestUser;
let outsider: TestUser;
let sourceId: string;

beforeAll(async () => {
  [owner, reviewer, ana, ben, outsider] = await Promise.all([buildUser(), buildUser(), buildUser({ name: "Ana" }), buildUser({ name: "Ben" }), buildUser()]);
  const source = await buildProject(owner, [
    { user: ana, role: "annotator" },
    { user: ben, role: "annotator" },
  ]);
  sourceId = source.id;
  const article = await buildArticle(owner, sourceId, { title: "Talks “in” Moscow 🇫🇷", text, source: "https://example.org/a" });
  const hollande = await buildEntity(owner, sourceId, { name: "François Hollande", type: "PER", aliases: ["Hollande"] });
  const putin = await buildEntity(owner, sourceId, { name: "Vladimir Putin", type: "PER", aliases: ["普京", "Putin"] });
  const moscow = await buildEntity(owner, sourceId, { name: "Moscow", type: "LOC" });
  const h = await buildMention(ana, article, "Hollande", { entityId: hollande.id });
  await buildMention(ana, article, "普京", { entityId: putin.id });
  await buildMention(ana, article, "Moscow 🇫🇷", { entityId: moscow.id });
  const stance = await buildStance(ana, article, "said: ‘no deal’.\nPutin’s aide denied it", { holderEntityId: putin.id, targetEntityId: hollande.id, polarity: "AGAINST" });
  const h2 = await buildMention(ben, article, "Hollande", { entityId: hollande.id });
  const version = await db.articleVersion.findFirstOrThrow({ where: { articleId: article.id }, select: { id: true } });
  const goldBase = { projectId: sourceId, articleId: article.id, articleVersionId: version.id, layer: "gold" as const, userId: null, createdById: owner.id, updatedById: owner.id };
  await db.annotation.create({ data: { ...goldBase, kind: "entity", start: h.start, end: h.end, quote: h.quote, entityTypeId: h.entityType ? (await db.entityType.findFirstOrThrow({ where: { projectId: sourceId, name: "PER" } })).id : null, entityId: hollande.id, derivedFromIds: [h.id, h2.id] } });
  const full = await db.annotation.findUniqueOrThrow({ where: { id: stance.id } });
  await db.annotation.create({ data: { ...goldBase, kind: "stance", start: full.start, end: full.end, quote: full.quote, holderEntityId: full.holderEntityId, targetEntityId: full.targetEntityId, polarityId: full.polarityId, derivedFromIds: [stance.id, "gone-annotation"] } });
});

describe("who may import", () => {
  test("anonymous 401, outsider 404, annotator 403; reviewers and owners may", async () => {
    const project = await buildProject(owner, [
      { user: reviewer, role: "reviewer" },
      { user: ana, role: "annotator" },
    ]);
    const files = [{ name: "a.zip", content: zip({ "a.txt": "Paris." }) }];
    expectApiError(await importAs(null, project.id, files), 401);
    expectApiError(await importAs(outsider, project.id, files), 404);
    expectApiError(await importAs(ana, project.id, files), 403);
    expect((await importAs(reviewer, project.id, files)).status).toBe(201);
  });
});

describe("native jsonl", () => {
  test("articles, entities with aliases, every layer, stances, gold derived_from mapped; annotators matched by name", async () => {
    const jsonl = await exportText(owner, sourceId, "format=jsonl&layer=all");
    const otherAna = await buildUser({ name: "Ana" }); // same name, another account: matched by name
    const target = await buildProject(reviewer, [{ user: otherAna, role: "annotator" }]);
    const existingMoscow = await buildEntity(reviewer, target.id, { name: "Moskva", type: "LOC", aliases: ["Moscow"] });
    const response = await importAs(reviewer, target.id, [{ name: "all.jsonl", content: jsonl }]);
    expect(response.status).toBe(201);
    const [report] = response.body.imported;
    expect(report).toMatchObject({ file: "all.jsonl", format: "jsonl", articles: 1, annotations: 7, entitiesCreated: 2, entitiesReused: 1 });
    expect(report!.layers).toEqual(expect.arrayContaining([{ from: "gold", to: "gold" }, { from: "Ana", to: "Ana" }, { from: "Ben", to: reviewer.name }]));
    expect(report!.notes.join(" ")).toContain('"Ben"');

    const [articleId] = report!.articleIds;
    const version = await db.articleVersion.findFirstOrThrow({ where: { articleId }, select: { title: true, text: true, source: true } });
    expect(version).toEqual({ title: "Talks “in” Moscow 🇫🇷", text, source: "https://example.org/a" });
    const entities = await db.entity.findMany({ where: { projectId: target.id }, select: { id: true, name: true, aliases: true }, orderBy: { name: "asc" } });
    expect(entities.map((e) => [e.name, e.aliases])).toEqual([
      ["François Hollande", ["Hollande"]],
      ["Moskva", ["Moscow"]],
      ["Vladimir Putin", ["普京", "Putin"]],
    ]);
    const rows = await db.annotation.findMany({ where: { articleId }, include: { holderEntity: true, targetEntity: true, polarity: true, entity: true } });
    expect(rows.filter((r) => r.userId === otherAna.id)).toHaveLength(4);
    expect(rows.filter((r) => r.userId === reviewer.id)).toHaveLength(1);
    expect(rows.find((r) => r.quote.startsWith("Moscow"))!.entityId).toBe(existingMoscow.id);
    const stance = rows.find((r) => r.kind === "stance" && r.layer === "user")!;
    expect([stance.holderEntity!.name, stance.targetEntity!.name, stance.polarity!.name]).toEqual(["Vladimir Putin", "François Hollande", "AGAINST"]);
    const gold = rows.filter((r) => r.layer === "gold");
    const goldMention = gold.find((r) => r.kind === "entity")!;
    expect(new Set(goldMention.derivedFromIds)).toEqual(new Set(rows.filter((r) => r.layer === "user" && r.quote === "Hollande").map((r) => r.id)));
    expect(gold.find((r) => r.kind === "stance")!.derivedFromIds).toEqual([stance.id]); // the id of an annotation not in the file is dropped
    expect(await db.article.findUniqueOrThrow({ where: { id: articleId }, select: { reviewStatus: true } })).toEqual({ reviewStatus: "IN_REVIEW" });
  });

  test("a line that is not JSON, a changed text, a bad offset: 422 naming file and line, nothing imported", async () => {
    const jsonl = await exportText(owner, sourceId, "format=jsonl&layer=all");
    const [header, record] = jsonl.trim().split("\n") as [string, string];
    const target = await buildProject(owner);
    const notJson = await importAs(owner, target.id, [{ name: "broken.jsonl", content: `${header}\n${record}\n{"type":"article",\n` }]);
    expect(expectApiError(notJson, 422).message).toMatch(/^broken\.jsonl line 3: not valid JSON/);
    expect(notJson.body.refused).toEqual([expect.objectContaining({ file: "broken.jsonl", line: 3 })]);
    const parsed = JSON.parse(record);
    const changed = await importAs(owner, target.id, [{ name: "changed.jsonl", content: `${header}\n${JSON.stringify({ ...parsed, text: parsed.text.replace("Moscow", "Moskau") })}\n` }]);
    expect(expectApiError(changed, 422).message).toContain("changed.jsonl line 2: text_sha256");
    parsed.annotations[0].end_utf16 += 1;
    const offset = await importAs(owner, target.id, [{ name: "offset.jsonl", content: `${header}\n${JSON.stringify(parsed)}\n` }]);
    expect(expectApiError(offset, 422).message).toContain("offset.jsonl line 2: annotations[0]");
    expect(await db.article.count({ where: { projectId: target.id } })).toBe(0);
    expect(await db.entity.count({ where: { projectId: target.id } })).toBe(0);
  });

  test("a stance naming an entity the file never mentions and the project lacks is refused; unknown polarity too", async () => {
    const target = await buildProject(owner);
    const jsonl = await exportText(owner, sourceId, "format=jsonl&layer=all&types=LOC");
    const response = await importAs(owner, target.id, [{ name: "loc.jsonl", content: jsonl }]);
    expect(expectApiError(response, 422).message).toContain("Vladimir Putin");
    const bad = jsonl.replaceAll('"polarity":"AGAINST"', '"polarity":"HOSTILE"');
    expect(expectApiError(await importAs(owner, target.id, [{ name: "pol.jsonl", content: bad }]), 422).message).toContain('unknown polarity "HOSTILE"');
  });
});

describe("set-based writes", () => {
  /** What an import wrote, ids and times aside: annotations with their entities, stances and derivations; audit events. */
  async function written(projectId: string) {
    const annotations = await db.annotation.findMany({
      where: { projectId },
      include: { entity: { include: { entityType: true } }, entityType: true, holderEntity: true, targetEntity: true, polarity: true, article: { include: { versions: true } } },
      orderBy: [{ article: { position: "asc" } }, { start: "asc" }, { end: "asc" }, { kind: "asc" }, { layer: "asc" }, { userId: "asc" }],
    });
    const keyOf = new Map(annotations.map((a, index) => [a.id, index]));
    return {
      articles: await db.article.findMany({ where: { projectId }, orderBy: { position: "asc" }, select: { position: true, reviewStatus: true, currentVersion: true, versions: { select: { title: true, text: true, textSha256: true, source: true, originalFileName: true, originalFileType: true } } } }),
      entities: await db.entity.findMany({ where: { projectId }, orderBy: { name: "asc" }, select: { name: true, aliases: true, entityType: { select: { name: true } } } }),
      annotations: annotations.map((a) => ({
        article: a.article.position,
        layer: a.layer,
        userId: a.userId,
        kind: a.kind,
        span: [a.start, a.end, a.quote],
        type: a.entityType?.name ?? null,
        entity: a.entity ? [a.entity.name, a.entity.entityType.name] : null,
        stance: a.holderEntity ? [a.holderEntity.name, a.targetEntity!.name, a.polarity!.name] : null,
        derivedFrom: a.derivedFromIds.map((id) => keyOf.get(id) ?? id).sort(),
        versionMatches: a.articleVersionId === a.article.versions[0]!.id,
        timesSet: a.createdAt.getTime() === a.updatedAt.getTime() && a.createdAt.getTime() > Date.now() - 600_000,
      })),
      // the import's events: its own, and those saying `via: "dataset.import"`
      audit: Object.entries(
        (await db.auditEvent.findMany({ where: { projectId }, select: { action: true, objectType: true, after: true } }))
          .filter((event) => event.action === "dataset.import" || (event.after as { via?: string } | null)?.via === "dataset.import")
          .reduce<Record<string, number>>((counts, event) => ({ ...counts, [`${event.action} ${event.objectType}`]: (counts[`${event.action} ${event.objectType}`] ?? 0) + 1 }), {}),
      ).sort(),
    };
  }

  test("statements of a few rows (a batch boundary every 3 rows) write exactly what the default batches write", async () => {
    const [header, record] = (await exportText(owner, sourceId, "format=jsonl&layer=all")).trim().split("\n") as [string, string];
    // five copies of the article (35 annotations, gold derived from annotator items, stances, new and known entities)
    const jsonl = [header, ...Array.from({ length: 5 }, (_, i) => JSON.stringify({ ...JSON.parse(record), title: `Copy ${i + 1}` }))].join("\n");
    const members = [
      { user: ana, role: "annotator" as const },
      { user: ben, role: "annotator" as const },
    ];
    const [whole, split] = [await buildProject(reviewer, members), await buildProject(reviewer, members)];
    for (const project of [whole, split]) await buildEntity(reviewer, project.id, { name: "Vladimir Putin", type: "PER", aliases: ["Putin"] });
    const file = () => new File([jsonl], "copies.jsonl");
    const viaRoute = await importAs(reviewer, whole.id, [{ name: "copies.jsonl", content: jsonl }]);
    expect(viaRoute.status).toBe(201);
    const inThrees = await importDatasetFiles({ userId: reviewer.id, projectId: split.id, files: [file()], rootLayer: "mine", batchRows: 3 });
    expect(inThrees.refused).toEqual([]);
    const { articleIds: _a, ...report } = inThrees.imported[0]!;
    const { articleIds: _b, ...expectedReport } = viaRoute.body.imported[0]!;
    expect(report).toEqual(expectedReport);
    expect(report).toMatchObject({ articles: 5, annotations: 35, entitiesCreated: 2, entitiesReused: 1 });
    const [a, b] = [await written(whole.id), await written(split.id)];
    expect(b).toEqual(a);
    expect(a.annotations).toHaveLength(35);
    expect(a.annotations.every((annotation) => annotation.versionMatches && annotation.timesSet)).toBe(true);
    expect(a.entities.find((entity) => entity.name === "Vladimir Putin")!.aliases).toEqual(["Putin", "普京"]);
    expect(a.audit).toEqual([
      ["article.create article", 5],
      ["dataset.import project", 1],
      ["entity.create entity", 2],
      ["entity.update entity", 1],
    ]);
  });

  test("a statement the database refuses midway leaves nothing of the file (one transaction per file)", async () => {
    const [header, record] = (await exportText(owner, sourceId, "format=jsonl&layer=all")).trim().split("\n") as [string, string];
    const jsonl = [header, ...Array.from({ length: 5 }, (_, i) => JSON.stringify({ ...JSON.parse(record), title: `Copy ${i + 1}` }))].join("\n");
    const target = await buildProject(reviewer, [{ user: ana, role: "annotator" }]);
    const putin = await buildEntity(reviewer, target.id, { name: "Vladimir Putin", type: "PER" });
    const audited = await db.auditEvent.count({ where: { projectId: target.id } });
    // This file's own database: a trigger refuses one annotation of the fourth article, in a late statement.
    await db.$executeRawUnsafe(`CREATE FUNCTION "test_refuse_annotation"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW."quote" = 'Moscow 🇫🇷' AND (SELECT "position" FROM "Article" WHERE "id" = NEW."articleId") = 4 THEN RAISE EXCEPTION 'refused by the test'; END IF;
        RETURN NEW;
      END $$`);
    await db.$executeRawUnsafe(`CREATE TRIGGER "test_refuse_annotation" BEFORE INSERT ON "Annotation" FOR EACH ROW EXECUTE FUNCTION "test_refuse_annotation"()`);
    try {
      const result = await importDatasetFiles({ userId: reviewer.id, projectId: target.id, files: [new File([jsonl], "copies.jsonl")], rootLayer: "mine", batchRows: 3 });
      expect(result.imported).toEqual([]);
      expect(result.refused).toEqual([expect.objectContaining({ file: "copies.jsonl", status: 500 })]);
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER "test_refuse_annotation" ON "Annotation"`);
      await db.$executeRawUnsafe(`DROP FUNCTION "test_refuse_annotation"()`);
    }
    expect(await db.article.count({ where: { projectId: target.id } })).toBe(0);
    expect(await db.annotation.count({ where: { projectId: target.id } })).toBe(0);
    expect(await db.entity.findMany({ where: { projectId: target.id }, select: { id: true, aliases: true } })).toEqual([{ id: putin.id, aliases: [] }]);
    expect(await db.auditEvent.count({ where: { projectId: target.id } })).toBe(audited);
  });
});

describe("brat", () => {
  test("a brat corpus made elsewhere (plain T lines only, nested folders, CRLF) imports; entities found or created by text", async () => {
    const target = await buildProject(owner);
    await buildEntity(owner, target.id, { name: "Vladimir Putin", type: "PER", aliases: ["Putin"] });
    const doc1 = "Putin met Merkel in Berlin.\r\nMerkel said nothing.";
    const doc2 = "東京 hosted 👍 Merkel.";
    const corpus = zip({
      "corpus/train/doc1.txt": doc1,
      "corpus/train/doc1.ann": "T1\tPER 0 5\tPutin\nT2\tPER 10 16\tMerkel\nT3\tLOC 20 26\tBerlin\nT4\tPER 29 35\tMerkel\n",
      "corpus/test/doc2.txt": doc2,
      "corpus/test/doc2.ann": "T1\tLOC 0 2\t東京\nT2\tPER 12 18\tMerkel\n",
      "corpus/README.md": "made elsewhere",
    });
    const response = await importAs(owner, target.id, [{ name: "corpus.zip", content: corpus }]);
    expect(response.status).toBe(201);
    expect(response.body.imported[0]).toMatchObject({ articles: 2, annotations: 6, entitiesCreated: 3, entitiesReused: 1 });
    expect(response.body.imported[0]!.layers).toEqual([{ from: "files outside layer folders", to: owner.name }]);
    const rows = await db.annotation.findMany({ where: { projectId: target.id }, include: { entity: true, article: { include: { versions: true } } }, orderBy: { start: "asc" } });
    for (const row of rows) expect(row.article.versions[0]!.text.slice(row.start, row.end)).toBe(row.quote);
    expect(new Set(rows.map((r) => r.entity!.name))).toEqual(new Set(["Vladimir Putin", "Merkel", "Berlin", "東京"]));
    expect(rows.filter((r) => r.entity!.name === "Merkel").map((r) => r.entityId)).toSatisfy((ids: string[]) => new Set(ids).size === 1);
    const titles = rows.map((r) => r.article.versions[0]!.title).sort();
    expect(titles).toContain("train/doc1");
    expect(rows.every((r) => r.userId === owner.id && r.layer === "user")).toBe(true);
    expect(rows.find((r) => r.quote === "Berlin")!.start).toBe(20); // CRLF comes after: unchanged
  });

  test("layer=gold puts root files into gold", async () => {
    const target = await buildProject(owner);
    const response = await importAs(owner, target.id, [{ name: "g.zip", content: zip({ "a.txt": "Paris is big.", "a.ann": "T1\tLOC 0 5\tParis\n" }) }], { layer: "gold" });
    expect(response.status).toBe(201);
    expect(await db.annotation.findMany({ where: { projectId: target.id }, select: { layer: true, userId: true } })).toEqual([{ layer: "gold", userId: null }]);
    expectApiError(await importAs(owner, target.id, [{ name: "g.zip", content: zip({ "a.txt": "x" }) }], { layer: "theirs" }), 422);
  });

  test("a .ann line whose text does not match, an unknown type, a corrupt zip, a climbing name: refused naming file and line; others import", async () => {
    const target = await buildProject(owner);
    const bad = zip({ "docs/a.txt": "Paris is big.", "docs/a.ann": "T1\tLOC 0 5\tParis\nT2\tLOC 6 8\tIZ\nT3\tCITY 9 12\tbig\n" });
    const good = zip({ "b.txt": "Rome too.", "b.ann": "T1\tLOC 0 4\tRome\n" });
    const corrupt = new Uint8Array([80, 75, 3, 4, 20, 0, 0, 0, 8, 0, 1, 2, 3, 4, 5]);
    const climbing = zipSync({ "../evil.txt": strToU8("x") });
    const response = await importAs(owner, target.id, [
      { name: "bad.zip", content: bad },
      { name: "good.zip", content: good },
      { name: "corrupt.zip", content: corrupt },
      { name: "climb.zip", content: climbing },
      { name: "notes.csv", content: "a,b" },
    ]);
    expect(response.status).toBe(201);
    expect(response.body.imported.map((entry) => entry.file)).toEqual(["good.zip"]);
    const refused = response.body.refused;
    expect(refused.slice(0, 2).map((entry) => [entry.file, entry.line])).toEqual([
      ["bad.zip:docs/a.ann", 2],
      ["bad.zip:docs/a.ann", 3],
    ]);
    expect(refused[0]!.message).toContain('"is"');
    expect(refused[1]!.message).toContain('unknown entity type "CITY"');
    expect(refused[2]!.message).toMatch(/^corrupt\.zip: is not a readable zip archive/);
    expect(refused[3]!.message).toContain("climbs out of the archive");
    expect(refused[4]).toMatchObject({ file: "notes.csv", status: 415 });
    const articles = await db.articleVersion.findMany({ where: { article: { projectId: target.id } }, select: { title: true } });
    expect(articles).toEqual([{ title: "b" }]);
  });

  test("an upload over 50 MB is 413 before it is read", async () => {
    const target = await buildProject(owner);
    const big = new Uint8Array(50 * 1024 * 1024 + 10);
    const response = await importAs(owner, target.id, [{ name: "big.zip", content: big }]);
    expect(expectApiError(response, 413).message).toContain("50 MB");
  });
});

describe("demo gold stances as CSV", () => {
  test("the stance CSV of the demo gold layer opens in Python's csv module with the rows the annotations API shows", async () => {
    await seedDemoProject();
    const cookie = sessionCookieFrom(await callRoute(login, "POST", "/api/auth/login", { json: { email: "reviewer@demo.spanlight", password: "spanlight-demo" } }));
    const project = await db.project.findFirstOrThrow({ where: { isDemo: true }, select: { id: true, articles: { select: { id: true }, orderBy: { position: "asc" } } } });
    const as = { as: cookie };
    const expected: string[][] = [];
    for (const { id } of project.articles) {
      await callRoute(acceptAgreedRoute, "POST", `/api/articles/${id}/gold/accept-agreed`, { params: { id }, ...as });
      const all = await callRoute(annotationsRoute, "GET", `/api/articles/${id}/annotations?layer=all`, { params: { id }, ...as });
      // Disagreed stances: the reviewer takes the first annotator's (409 when the group is settled already).
      for (const annotation of all.body.annotations.filter((a: { kind: string; layer: string }) => a.kind === "stance" && a.layer === "user")) {
        const response = await callRoute(goldRoute, "POST", `/api/articles/${id}/gold`, { params: { id }, json: { annotationId: annotation.id }, ...as });
        expect([201, 409]).toContain(response.status);
      }
      const gold = await callRoute(annotationsRoute, "GET", `/api/articles/${id}/annotations?layer=gold`, { params: { id }, ...as });
      const articleText = (await db.articleVersion.findFirstOrThrow({ where: { articleId: id }, select: { text: true } })).text;
      for (const a of gold.body.annotations.filter((g: { kind: string }) => g.kind === "stance")) {
        expected.push([id, a.holder.name, a.target.name, a.polarity, a.quote, String(cp(articleText, a.start)), String(cp(articleText, a.end)), String(a.start), String(a.end)]);
      }
    }
    expect(expected.length).toBeGreaterThan(5);
    const owner = { id: "", email: "", name: "", password: "", cookie };
    const csv = await exportBytes(owner, project.id, "format=stance-csv&layer=gold");
    const script = [
      "import csv, io, json, sys",
      "rows = list(csv.DictReader(io.TextIOWrapper(sys.stdin.buffer, encoding='utf-8', newline='')))",
      "keys = ['article_id', 'holder', 'target', 'polarity', 'evidence', 'start', 'end', 'start_utf16', 'end_utf16']",
      "print(json.dumps([[r[k] for k in keys] for r in rows]))",
    ].join("\n");
    const rows = JSON.parse(execFileSync("python3", ["-c", script], { input: Buffer.from(csv), encoding: "utf8" })) as string[][];
    const sort = (list: string[][]) => [...list].sort((a, b) => (a.join("\u0001") < b.join("\u0001") ? -1 : 1));
    expect(sort(rows)).toEqual(sort(expected));
  }, 180_000);
});
