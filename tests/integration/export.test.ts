import { createHash } from "node:crypto";
import { strFromU8, unzipSync } from "fflate";
import { beforeAll, describe, expect, test } from "vitest";
import { GET as exportRoute } from "@/app/api/projects/[id]/export/route";
import { db } from "@/lib/db";
import { importDatasetFiles } from "@/lib/server/dataset-import/import-dataset";
import { exportBatchSize } from "@/lib/server/export/load-articles";
import { callRoute, expectApiError } from "../helpers/api";
import { buildArticle, buildEntity, buildGoldMention, buildMention, buildProject, buildStance, buildUser, type TestUser } from "../helpers/factories";

/*
 * GET /api/projects/:id/export through the real route handler on the test file's own database: every format's body
 * reads back with the right offsets, the authorization matrix, filters, bad queries.
 */

const text = "“Hollande” met 普京 in Moscow 🇫🇷👍🏽.\nThe cafe\u0301 said: ‘no deal’.\nPutin’s aide denied it.";
const cp = (utf16: number) => Array.from(text.slice(0, utf16)).length;

let owner: TestUser;
let reviewer: TestUser;
let ana: TestUser;
let ben: TestUser;
let outsider: TestUser;
let projectId: string;
let articleId: string;
let otherArticleId: string;

beforeAll(async () => {
  [owner, reviewer, ana, ben, outsider] = await Promise.all([buildUser(), buildUser(), buildUser({ name: "Ana" }), buildUser({ name: "Ben" }), buildUser()]);
  const project = await buildProject(owner, [
    { user: reviewer, role: "reviewer" },
    { user: ana, role: "annotator" },
    { user: ben, role: "annotator" },
  ]);
  projectId = project.id;
  const article = await buildArticle(owner, projectId, { title: "Talks “in” Moscow 🇫🇷", text });
  const other = await buildArticle(owner, projectId, { title: "Second", text: "Nothing, \"here\".\nReally." });
  articleId = article.id;
  otherArticleId = other.id;
  const hollande = await buildEntity(owner, projectId, { name: "François Hollande", type: "PER", aliases: ["Hollande"] });
  const putin = await buildEntity(owner, projectId, { name: "Vladimir Putin", type: "PER", aliases: ["普京"] });
  const moscow = await buildEntity(owner, projectId, { name: "Moscow", type: "LOC" });
  const cafe = await buildEntity(owner, projectId, { name: "Café", type: "ORG" });
  await buildMention(ana, article, "Hollande", { entityId: hollande.id });
  await buildMention(ana, article, "普京", { entityId: putin.id });
  await buildMention(ana, article, "Moscow 🇫🇷", { entityId: moscow.id });
  await buildMention(ana, article, "cafe\u0301", { entityId: cafe.id });
  await buildStance(ana, article, "said: ‘no deal’.\nPutin’s aide denied it", { holderEntityId: putin.id, targetEntityId: hollande.id, polarity: "AGAINST" });
  await buildMention(ben, article, "Moscow", { entityId: moscow.id });
  await buildGoldMention(reviewer, article, "Hollande", hollande.id);
  await buildGoldMention(reviewer, article, "普京", putin.id);
  await buildGoldMention(reviewer, article, "Moscow", moscow.id);
});

function exportAs(user: TestUser | null, query: string, id = projectId) {
  return callRoute(exportRoute, "GET", `/api/projects/${id}/export?${query}`, { params: { id }, as: user?.cookie ?? null });
}

/** The raw bytes (zip bodies are not text). */
async function exportBytesAs(user: TestUser, query: string): Promise<{ status: number; headers: Headers; bytes: Uint8Array }> {
  const request = new Request(`http://localhost/api/projects/${projectId}/export?${query}`, { headers: { cookie: user.cookie } });
  const response = await exportRoute(request, { params: Promise.resolve({ id: projectId }) });
  return { status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) };
}

const jsonLines = (body: string) => body.trim().split("\n").map((line) => JSON.parse(line));

describe("formats", () => {
  test("jsonl: header, one record per article, code point and UTF-16 offsets, quotes", async () => {
    const response = await exportAs(reviewer, "format=jsonl&layer=all");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="[a-z0-9-]+-all-\d{4}-\d\d-\d\d\.jsonl"$/);
    expect(response.headers.get("x-spanlight-article-count")).toBe("2");
    const [header, first, second] = jsonLines(response.body);
    expect(header).toMatchObject({ type: "header", schema: "spanlight.dataset", schemaVersion: 1, layer: "all", entityTypes: ["PER", "ORG", "LOC", "MISC"], polarities: ["FAVOR", "AGAINST", "NEUTRAL"] });
    expect(first).toMatchObject({ type: "article", id: articleId, text, version: 1 });
    expect(second.id).toBe(otherArticleId);
    expect(first.annotations).toHaveLength(9);
    for (const a of first.annotations) {
      expect(text.slice(a.start_utf16, a.end_utf16)).toBe(a.quote);
      expect([a.start, a.end]).toEqual([cp(a.start_utf16), cp(a.end_utf16)]);
      expect(Array.from(text).slice(a.start, a.end).join("")).toBe(a.quote);
    }
    const stance = first.annotations.find((a: { kind: string }) => a.kind === "stance");
    expect(stance).toMatchObject({ layer: "user", annotator: { id: ana.id, name: "Ana" }, stance: { holder: { name: "Vladimir Putin" }, target: { name: "François Hollande" }, polarity: "AGAINST" } });
    const gold = first.annotations.filter((a: { layer: string }) => a.layer === "gold");
    expect(gold.map((a: { quote: string }) => a.quote)).toEqual(["Hollande", "普京", "Moscow"]);
  });

  test("brat: a zip with the confs, texts byte for byte and code point offsets; layer=all in folders", async () => {
    const { status, headers, bytes } = await exportBytesAs(reviewer, "format=brat&layer=all");
    expect(status).toBe(200);
    expect(headers.get("content-type")).toBe("application/zip");
    const zip = unzipSync(bytes);
    const names = Object.keys(zip);
    expect(names).toEqual(expect.arrayContaining(["annotation.conf", "visual.conf"]));
    expect(names.filter((name) => name.startsWith("gold/"))).toHaveLength(2); // only the article with gold items
    const anaAnn = names.find((name) => name.startsWith(`ana-${ana.id}/`) && name.endsWith(".ann"))!;
    const ann = strFromU8(zip[anaAnn]!);
    expect(strFromU8(zip[anaAnn.replace(/\.ann$/, ".txt")]!)).toBe(text);
    const moscow = text.indexOf("Moscow");
    expect(ann).toContain(`\tLOC ${cp(moscow)} ${cp(moscow) + 9}\tMoscow 🇫🇷`); // the flag is two code points
    expect(ann).toMatch(/\nE1\tStance:T\d+ Holder:T2 Target:T1\n/);
    expect(ann).toContain("A1\tPolarity E1 AGAINST");
  });

  test("conll, spacy, hf, stance-csv parse; tags and offsets right", async () => {
    const conll = await exportAs(ana, "format=conll&layer=mine");
    expect(conll.status).toBe(200);
    expect(conll.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(conll.body.split("\n").filter((line: string) => line.startsWith("-DOCSTART-"))).toHaveLength(2);
    expect(conll.body).toContain("Moscow -X- _ B-LOC\n🇫🇷 -X- _ I-LOC\n👍🏽 -X- _ O\n");

    const spacy = jsonLines((await exportAs(ana, "format=spacy&layer=mine")).body);
    expect(spacy).toHaveLength(2);
    const quotes = ["Hollande", "普京", "Moscow 🇫🇷", "cafe\u0301"];
    expect(spacy[0].spans.map((s: { start: number; end: number }) => Array.from(text).slice(s.start, s.end).join(""))).toEqual(quotes);
    expect(spacy[0].spans.map((s: { label: string; kb_id: string }) => s.label)).toEqual(["PER", "PER", "LOC", "ORG"]);

    const hf = jsonLines((await exportAs(reviewer, "format=hf&layer=gold")).body);
    expect(hf.find((r: { tokens: string[] }) => r.tokens.includes("Hollande")).ner_tags).toEqual(["O", "B-PER", "O", "O", "B-PER", "I-PER", "O", "B-LOC", "O", "O", "O"]);

    const csv = await exportAs(reviewer, "format=stance-csv&layer=all");
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const evidence = "said: ‘no deal’.\nPutin’s aide denied it";
    const start = text.indexOf(evidence);
    expect(csv.body).toBe(
      "article_id,article_title,holder,holder_id,target,target_id,polarity,evidence,sentence,start,end,start_utf16,end_utf16,annotator,layer\r\n" +
        `${articleId},Talks “in” Moscow 🇫🇷,Vladimir Putin,${csv.body.split("\r\n")[1]!.split(",")[3]},François Hollande,${csv.body.split("\r\n")[1]!.split(",")[5]},AGAINST,"said: ‘no deal’.\nPutin’s aide denied it","The cafe\u0301 said: ‘no deal’.\nPutin’s aide denied it.",${cp(start)},${cp(start + evidence.length)},${start},${start + evidence.length},Ana,${ana.id}\r\n`,
    );
  });

  test("bundle: every format and the dataset card", async () => {
    const { status, bytes } = await exportBytesAs(owner, "format=bundle&layer=gold");
    expect(status).toBe(200);
    const zip = unzipSync(bytes);
    expect(Object.keys(zip)).toEqual(expect.arrayContaining(["spanlight.jsonl", "conll/dataset.conll", "spacy/dataset.jsonl", "hf/dataset.jsonl", "stances.csv", "brat/annotation.conf", "README.md"]));
    expect(strFromU8(zip["README.md"]!)).toContain("| PER | 2 |");
  });
});

describe("filters", () => {
  test("articles= and types= (types restrict entity mentions; stances stay)", async () => {
    const response = await exportAs(reviewer, `format=jsonl&layer=${ana.email}&articles=${articleId}&types=LOC`);
    expect(response.status).toBe(200);
    const [header, ...records] = jsonLines(response.body);
    expect(header.filters).toEqual({ articleIds: [articleId], types: ["LOC"] });
    expect(records).toHaveLength(1);
    expect(records[0].annotations.map((a: { kind: string; entity_type: string | null }) => a.entity_type ?? a.kind)).toEqual(["LOC", "stance"]);
  });
  test("an unknown type or article is 422 naming it", async () => {
    expect(expectApiError(await exportAs(reviewer, "format=jsonl&types=PER,FOO"), 422).message).toContain("FOO");
    expect(expectApiError(await exportAs(reviewer, "format=jsonl&articles=nope"), 422).message).toContain("nope");
  });
});

describe("authorization and bad queries", () => {
  test("anonymous 401, outsider 404", async () => {
    expectApiError(await exportAs(null, "format=jsonl"), 401);
    expectApiError(await exportAs(outsider, "format=jsonl"), 404);
    expectApiError(await exportAs(reviewer, "format=jsonl", "no-such-project"), 404);
  });
  test("annotator: gold and own layer (by mine, id or email) ok; another's layer or all 403", async () => {
    for (const layer of ["gold", "mine", ana.id, ana.email.toUpperCase()]) expect((await exportAs(ana, `format=jsonl&layer=${encodeURIComponent(layer)}`)).status).toBe(200);
    expectApiError(await exportAs(ana, `format=jsonl&layer=${ben.id}`), 403);
    expectApiError(await exportAs(ana, "format=jsonl&layer=all"), 403);
  });
  test("reviewer: any annotator's layer", async () => {
    const [, record] = jsonLines((await exportAs(reviewer, `format=jsonl&layer=${ben.id}`)).body);
    expect(record.annotations.map((a: { quote: string }) => a.quote)).toEqual(["Moscow"]);
  });
  test("unknown format or layer: 422 listing the allowed values", async () => {
    const format = expectApiError(await exportAs(reviewer, "format=xml"), 422);
    expect(format.message).toContain("jsonl, brat, conll, spacy, hf, stance-csv, bundle");
    expectApiError(await exportAs(reviewer, ""), 422);
    expect(expectApiError(await exportAs(reviewer, "format=jsonl&layer=nobody@example.org"), 422).message).toContain("gold, all, mine");
  });
});

describe("reading the database", () => {
  test("times are exactly the stored ones (Date#toISOString), updated_at too when it differs", async () => {
    const project = await buildProject(owner);
    const article = await buildArticle(owner, project.id, { text: "Paris and Rome." });
    const paris = await buildEntity(owner, project.id, { name: "Paris", type: "LOC" });
    const times = ["2026-01-02T03:04:05.000Z", "2026-01-02T03:04:05.500Z", "2026-01-02T03:04:05.120Z", "2026-12-31T23:59:59.999Z"];
    for (const [i, time] of times.entries()) {
      const mention = await buildGoldMention(owner, article, i % 2 ? "Rome" : "Paris", paris.id);
      await db.annotation.update({ where: { id: mention.id }, data: { createdAt: new Date(time), updatedAt: new Date(i === 3 ? "2027-01-01T00:00:00.001Z" : time) } });
    }
    const rows = await db.annotation.findMany({ where: { articleId: article.id }, select: { id: true, createdAt: true, updatedAt: true } });
    const [, record] = jsonLines((await exportAs(owner, "format=jsonl&layer=gold", project.id)).body);
    expect(record.annotations).toHaveLength(4);
    for (const a of record.annotations) {
      const row = rows.find((candidate) => candidate.id === a.id)!;
      expect([a.created_at, a.updated_at]).toEqual([row.createdAt.toISOString(), row.updatedAt.toISOString()]);
    }
    expect(record.annotations.map((a: { updated_at: string }) => a.updated_at)).toContain("2027-01-01T00:00:00.001Z");
  });

  test("more articles than one batch: all of them, by position, each with its own annotations; a filter in every batch", async () => {
    const project = await buildProject(owner, [{ user: ana, role: "annotator" }]);
    const lines = [JSON.stringify({ type: "header", schema: "spanlight.dataset", schemaVersion: 1 })];
    const count = exportBatchSize * 2 + 7;
    for (let i = 0; i < count; i++) {
      const body = `Article ${i}: Paris met Rome.`;
      const span = (quote: string, type: string, id: string) => {
        const start = body.indexOf(quote);
        return { id: `${id}-${i}`, layer: "user", annotator: { id: ana.id, name: "Ana" }, kind: "entity", start, end: start + quote.length, start_utf16: start, end_utf16: start + quote.length, quote, entity_type: type, entity: { id: `e-${quote}`, name: quote, type, aliases: [] }, stance: null, derived_from: [] };
      };
      const annotations = [span("Paris", "LOC", "p"), ...(i % 3 ? [span("Rome", "ORG", "r")] : [])];
      lines.push(JSON.stringify({ type: "article", id: `a${i}`, title: `Article ${i}`, source: null, version: 1, text: body, text_sha256: createHash("sha256").update(body).digest("hex"), annotations }));
    }
    const imported = await importDatasetFiles({ userId: owner.id, projectId: project.id, files: [new File([lines.join("\n")], "many.jsonl")], rootLayer: "mine" });
    expect(imported.imported[0]).toMatchObject({ articles: count });
    const records = jsonLines((await exportAs(owner, "format=jsonl&layer=all", project.id)).body).slice(1);
    expect(records.map((record: { title: string }) => record.title)).toEqual(Array.from({ length: count }, (_, i) => `Article ${i}`));
    for (const [i, record] of records.entries()) {
      expect(record.annotations.map((a: { quote: string; annotator: { name: string } }) => [a.quote, a.annotator.name])).toEqual([["Paris", "Ana"], ...(i % 3 ? [["Rome", "Ana"]] : [])]);
      expect(record.annotations.every((a: { quote: string; start_utf16: number; end_utf16: number }) => record.text.slice(a.start_utf16, a.end_utf16) === a.quote)).toBe(true);
    }
    const locOnly = jsonLines((await exportAs(owner, "format=jsonl&layer=all&types=LOC", project.id)).body).slice(1);
    expect(locOnly.flatMap((record: { annotations: { quote: string }[] }) => record.annotations.map((a) => a.quote))).toEqual(Array(count).fill("Paris"));
  });

  test("an id holding a separator of the compact rows is read all the same (the rows are read again as JSON)", async () => {
    const project = await buildProject(owner);
    const article = await buildArticle(owner, project.id, { text: "Paris and Rome." });
    const paris = await buildEntity(owner, project.id, { name: "Paris", type: "LOC" });
    const mention = await buildGoldMention(owner, article, "Paris", paris.id);
    await db.annotation.create({ data: { ...(await db.annotation.findUniqueOrThrow({ where: { id: mention.id }, omit: { id: true } })), id: "made,elsewhere\nid", start: 10, end: 14, quote: "Rome", derivedFromIds: ["a b", "c,d"] } });
    const [, record] = jsonLines((await exportAs(owner, "format=jsonl&layer=gold", project.id)).body);
    expect(record.annotations.map((a: { id: string; quote: string; derived_from: string[] }) => [a.id, a.quote, a.derived_from])).toEqual([
      [mention.id, "Paris", []],
      ["made,elsewhere\nid", "Rome", ["a b", "c,d"]],
    ]);
  });
});
