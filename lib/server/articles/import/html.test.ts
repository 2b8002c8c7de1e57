import fs from "node:fs";
import path from "node:path";
import { parseHTML } from "linkedom";
import { afterEach, describe, expect, test, vi } from "vitest";
import { decodeHtmlBytes, extractHtmlArticle, importHtmlFile } from "./html";
import { estimateMarkupDepth, maxMarkupDepth } from "./html-limits";
import { domToPlainText } from "./html-text";

function textOf(html: string): string {
  return domToPlainText(parseHTML(`<!doctype html><html><body>${html}</body></html>`).document as unknown as Node);
}

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, "../../../../tests/fixtures/import", name), "utf8");

describe("domToPlainText", () => {
  test("blocks are separated by one blank line; no leading or trailing breaks", () => {
    expect(textOf("<h1>Title</h1><p>One.</p><div><p>Two.</p></div><blockquote>Three.</blockquote>")).toBe("Title\n\nOne.\n\nTwo.\n\nThree.");
  });

  test("inline whitespace collapses like a browser: across elements, at line starts and ends", () => {
    expect(textOf("<p>\n   Hello,   <b> brave </b>\n\tnew <i>world</i>!  </p>")).toBe("Hello, brave new world!");
    expect(textOf("<p>a<b>b</b> c</p>")).toBe("ab c");
    expect(textOf("<p>one</p>   \n  <p>two</p>")).toBe("one\n\ntwo");
  });

  test("entities are decoded; the result holds no markup", () => {
    expect(textOf("<p>&ldquo;Caf&eacute;&rdquo; &amp; &lt;b&gt;tea&lt;/b&gt; &#x1F44D; &hellip;</p>")).toBe("“Café” & <b>tea</b> 👍 …");
  });

  test("U+00A0 inside text is kept; a paragraph holding only &nbsp; is a spacer and disappears", () => {
    expect(textOf("<p>10&nbsp;km</p><p>&nbsp;</p><p>next</p>")).toBe("10\u00a0km\n\nnext");
  });

  test("<br> is a line break; runs of <br> leave at most one blank line", () => {
    expect(textOf("<p>line one<br>line two <br> line three</p>")).toBe("line one\nline two\nline three");
    expect(textOf("old<br><br><br><br>style")).toBe("old\n\nstyle");
    expect(textOf("<p>para</p><br><br><p>next</p>")).toBe("para\n\nnext");
    expect(textOf("<br><p>starts</p><br>")).toBe("starts");
  });

  test("<pre> keeps its whitespace, minus the newline right after the tag", () => {
    expect(textOf("<p>Code:</p><pre>\n  a  =  1\n\tb = 2\n</pre><p>after</p>")).toBe("Code:\n\n  a  =  1\n\tb = 2\n\nafter");
  });

  test("list items are blocks; table cells are tab-separated and rows line-separated", () => {
    expect(textOf("<ul>\n<li>one</li>\n<li>two <em>2</em></li>\n</ul>")).toBe("one\n\ntwo 2");
    expect(textOf("<table><tr><th>Name</th> <th>Votes</th></tr>\n<tr><td>Ana</td><td>12</td></tr></table>")).toBe("Name\tVotes\nAna\t12");
  });

  test("script, style, template, noscript, form controls, embedded content and hidden elements give no text", () => {
    const html =
      "<p>Kept.</p><script>var secret = 'SCRIPT';</script><style>p { color: red }</style><template><p>TEMPLATE</p></template>" +
      "<noscript>NOSCRIPT</noscript><button>BUTTON</button><select><option>OPTION</option></select><textarea>TEXTAREA</textarea>" +
      "<iframe srcdoc='<p>IFRAME</p>'>IFRAME</iframe><svg><text>SVG</text></svg><div hidden>HIDDEN</div>" +
      "<div style='display: none'>NONE</div><p>Also <span style='visibility:hidden'>INVISIBLE</span>kept.</p><!-- COMMENT -->";
    expect(textOf(html)).toBe("Kept.\n\nAlso kept.");
  });

  test("markup nested deeper than the call stack is walked without overflowing it", () => {
    const depth = 20_000;
    expect(textOf(`${"<span>".repeat(depth)}deep${"</span>".repeat(depth)}<p>after</p>`)).toBe("deep\n\nafter");
  });

  test("images contribute nothing, not even their alt text", () => {
    expect(textOf('<p>Before <img src="http://example.org/x.png" alt="ALT"> after</p>')).toBe("Before after");
  });
});

describe("extractHtmlArticle", () => {
  afterEach(() => vi.restoreAllMocks());

  test("a hostile page: no script runs, nothing is fetched, no markup or script text in the result", () => {
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    const marker = globalThis as { pwned?: boolean };
    const html = `<!doctype html><html><head><title>Hostile</title>
      <script>globalThis.pwned = true; alert("head")</script>
      <link rel="stylesheet" href="http://evil.example/style.css"></head>
      <body onload="globalThis.pwned = true">
      <article>
        <p>First paragraph of the story, long enough to look like an article to Readability and its scoring.</p>
        <img src="http://evil.example/pixel.gif" onerror="globalThis.pwned = true; alert('img')">
        <p>Second paragraph with <a href="javascript:globalThis.pwned=true">a javascript link</a> in it, and more words.</p>
        <script>document.write("<p>INJECTED</p>"); globalThis.pwned = true;</script>
        <iframe src="http://evil.example/frame"></iframe>
        <svg onload="globalThis.pwned = true"><script>alert("svg")</script></svg>
      </article></body></html>`;
    const article = extractHtmlArticle(html);
    expect(article.text).toBe(
      "First paragraph of the story, long enough to look like an article to Readability and its scoring.\n\n" +
        "Second paragraph with a javascript link in it, and more words.",
    );
    expect(article.text).not.toMatch(/[<>]|alert|pwned|INJECTED|evil/);
    expect(marker.pwned).toBeUndefined();
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  test("a news page: the article's paragraphs and subheads, without the site's chrome", () => {
    const article = extractHtmlArticle(fixture("dw-hollande-putin.html"));
    expect(article.title).toBe("Moscow and Paris agree to share intelligence on Syria");
    expect(article.source).toBe("https://www.dw.com/en/moscow-and-paris-agree-to-share-intelligence-on-syria/a-18878417");
    expect(article.text.startsWith("Moscow and Paris have agreed to share intelligence about terrorist activity")).toBe(true);
    expect(article.text).toContain(
      "“What we agreed, and this is important, is to strike only terrorists and Daesh [Islamic State] and to not strike forces that are fighting terrorism.",
    );
    expect(article.text).toContain("in Syria.\n\nMoscow mulls joining US airstrikes\n\nPutin said Russia would consider");
    expect(article.text).toContain("“serious…obviously regrettable,”");
    expect(article.text).toContain("Putin blasts ‘betrayal’ by Turkey");
    for (const chrome of ["cookies", "Top stories", "Newsletter", "Legal notice", "Related Subjects", "Skip to content", "SCRIPT RAN", "TRACKER", "STYLE TEXT", "gtag"]) {
      expect(article.text).not.toContain(chrome);
    }
    expect(article.text).not.toMatch(/[<>]/);
    expect(article.text).not.toMatch(/\n{3}/);
  });

  test("title: Readability's, else <title>; null without either", () => {
    expect(extractHtmlArticle("<html><head><title>  Page\n title </title></head><body><p>Text.</p></body></html>").title).toBe("Page title");
    expect(extractHtmlArticle("<html><body><p>Text.</p></body></html>").title).toBeNull();
  });

  test("source: canonical link, else og:url, else site name, else byline; javascript: and relative URLs are not sources", () => {
    const page = (head: string) => extractHtmlArticle(`<html><head>${head}</head><body><p>Text of the article.</p></body></html>`).source;
    expect(page('<link rel="canonical" href="https://example.org/a"><meta property="og:url" content="https://example.org/og">')).toBe("https://example.org/a");
    expect(page('<link rel="canonical" href="javascript:alert(1)"><meta property="og:url" content="https://example.org/og">')).toBe("https://example.org/og");
    expect(page('<link rel="canonical" href="/relative"><meta property="og:site_name" content="Example News">')).toBe("Example News");
    expect(page('<meta name="author" content="Ana Reporter">')).toBe("Ana Reporter");
    expect(page("")).toBeNull();
  });

  test("fragments and pages without <body> are read as a browser would (content in the body)", () => {
    expect(extractHtmlArticle("<p>Just a <b>fragment</b>.</p><p>Second.</p>").text).toBe("Just a fragment.\n\nSecond.");
    const noBody = extractHtmlArticle("<!DOCTYPE html><HTML><HEAD><TITLE>Old page</TITLE></HEAD><P>Upper-case markup.</P></HTML>");
    expect(noBody).toEqual({ title: "Old page", text: "Upper-case markup.", source: null });
  });

  test("when Readability finds no article, the body's text is used (scripts and styles still removed)", () => {
    const article = extractHtmlArticle("<html><body><footer>Only footer text<script>evil()</script><style>x{}</style></footer></body></html>");
    expect(article.text).toBe("Only footer text");
  });
});

describe("importHtmlFile", () => {
  const bytes = (text: string) => new TextEncoder().encode(text);

  test("the file name is the title when the page has none", () => {
    expect(importHtmlFile(bytes("<p>Body text.</p>"), "reuters-report.html")).toEqual([
      { title: "reuters-report", text: "Body text.", source: null, isTitleDerived: true, isSourceDerived: true },
    ]);
  });

  test("a page without readable text is 422", () => {
    expect(() => importHtmlFile(bytes("<html><head><title>x</title><script>a()</script></head><body> </body></html>"), "blank.html")).toThrow(/blank\.html has no readable text/);
  });
});

describe("bounds on hostile markup", () => {
  test("estimateMarkupDepth counts real nesting, not void, optional-end or raw-text tags", () => {
    expect(estimateMarkupDepth("<html><body><div><p>a<p>b<br><img src=x><ul><li>one<li>two</ul></div></body></html>")).toBe(4);
    expect(estimateMarkupDepth(`<script>${"<div>".repeat(5000)}</script><!-- ${"<b>".repeat(5000)} --><p>text`)).toBe(0);
    expect(estimateMarkupDepth("<div><span></div><div></div>")).toBe(2);
    expect(estimateMarkupDepth("<div>".repeat(100_000))).toBe(maxMarkupDepth + 1);
  });

  test("a page nested past the limit is refused (422) before it is parsed", () => {
    const html = `<html><body>${"<div>".repeat(maxMarkupDepth + 1)}text</body></html>`;
    expect(() => importHtmlFile(new TextEncoder().encode(html), "deep.html")).toThrow(/deep\.html nests its elements more than 2000 deep/);
  });

  test("a page too deep for Readability keeps its whole body text, quickly", () => {
    const started = Date.now();
    const article = extractHtmlArticle(`<html><body><nav>Menu</nav>${"<div>".repeat(1500)}<p>Deep text.</p>${"</div>".repeat(1500)}</body></html>`);
    expect(article.text).toBe("Menu\n\nDeep text.");
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe("decodeHtmlBytes", () => {
  test("UTF-8 without a declaration; a UTF-8 BOM is dropped", () => {
    expect(decodeHtmlBytes(new TextEncoder().encode("<p>Café</p>"))).toBe("<p>Café</p>");
    expect(decodeHtmlBytes(new Uint8Array([0xef, 0xbb, 0xbf, 0x3c, 0x70, 0x3e]))).toBe("<p>");
  });

  test("windows-1252 when the page declares it and is not UTF-8", () => {
    const latin1 = Uint8Array.from([...'<meta charset="windows-1252"><p>Caf'].map((c) => c.charCodeAt(0)).concat([0xe9, 0x20, 0x93, 0x71, 0x94]));
    expect(decodeHtmlBytes(latin1)).toBe('<meta charset="windows-1252"><p>Café “q”');
  });

  test("UTF-16 with a BOM", () => {
    expect(decodeHtmlBytes(Uint8Array.from([0xff, 0xfe, 0x3c, 0, 0x70, 0, 0x3e, 0]))).toBe("<p>");
  });

  test("null for bytes that are not UTF-8 and declare nothing, or falsely declare UTF-8", () => {
    expect(decodeHtmlBytes(Uint8Array.from([0x3c, 0x70, 0x3e, 0xe9]))).toBeNull();
    expect(decodeHtmlBytes(Uint8Array.from([...'<meta charset="utf-8">'].map((c) => c.charCodeAt(0)).concat([0xe9])))).toBeNull();
  });
});
