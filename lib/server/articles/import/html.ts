import "server-only";
import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import { AppError } from "@/lib/errors";
import { fileStem, refuseNul } from "./file-text";
import { estimateMarkupDepth, isSmallEnoughForReadability, maxMarkupDepth, measureDom } from "./html-limits";
import { domToPlainText } from "./html-text";
import type { ImportedArticle } from "./types";

/*
 * An HTML page → one article's title, plain text and source.
 * Safety: linkedom builds a DOM from the markup and nothing else. It has no script engine and no network code,
 * so no script, event handler or javascript: URL can run and no image, stylesheet or frame is fetched; the
 * stored text is read from text nodes only (html-text.ts), so no markup reaches it.
 */

export interface HtmlArticle {
  title: string | null;
  text: string;
  source: string | null;
}

const maxTitleLength = 1000;
const maxSourceLength = 2000;

/**
 * A DOM for the markup, with its content in <body>. linkedom's parser, unlike a browser's, does not imply
 * <html> and <body>: a fragment ("<p>…</p>") or a page without <body> is wrapped first.
 */
function parseDocument(html: string): Document {
  // linkedom's own DOM types are close to, but not exactly, lib.dom's; Readability is typed against lib.dom.
  const document = parseHTML(html).document as unknown as Document;
  if (document.documentElement?.localName === "html" && document.querySelector("body")) return document;
  const head = /<head\b[^>]*>([\s\S]*?)<\/head\s*>/i.exec(html);
  const rest = (head ? html.slice(0, head.index) + html.slice(head.index + head[0].length) : html).replace(/<!doctype[^>]*>|<\/?(?:html|head|body)\b[^>]*>/gi, "");
  return parseHTML(`<!doctype html><html><head>${head?.[1] ?? ""}</head><body>${rest}</body></html>`).document as unknown as Document;
}

function cleanLine(value: string | null | undefined, maxLength: number): string | null {
  const line = value?.replace(/[\s\u00a0]+/g, " ").trim();
  return line && line.length <= maxLength ? line : null;
}

/** An absolute http(s) URL, or null: a javascript: or relative "canonical" is not a source. */
function httpUrl(value: string | null | undefined): string | null {
  const candidate = value?.trim();
  if (!candidate || candidate.length > maxSourceLength) return null;
  try {
    const url = new URL(candidate);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

function canonicalUrl(document: Document): string | null {
  for (const link of Array.from(document.querySelectorAll("link[rel][href]"))) {
    const rels = (link.getAttribute("rel") ?? "").toLowerCase().split(/\s+/);
    if (rels.includes("canonical")) {
      const url = httpUrl(link.getAttribute("href"));
      if (url) return url;
    }
  }
  for (const meta of Array.from(document.querySelectorAll("meta[property], meta[name]"))) {
    const key = (meta.getAttribute("property") ?? meta.getAttribute("name") ?? "").toLowerCase();
    if (key === "og:url") {
      const url = httpUrl(meta.getAttribute("content"));
      if (url) return url;
    }
  }
  return null;
}

/** The page's visible text when Readability finds no article: the body without scripts, styles and the like. */
function bodyText(html: string): string {
  const document = parseDocument(html);
  return domToPlainText(document.body ?? document);
}

/**
 * Extracts the main text of an HTML page with Mozilla Readability, as plain text with blocks separated by blank
 * lines. Title: Readability's, else <title>, else null (the caller uses the file name). Source: the
 * canonical link or og:url (http/https only), else the site name or byline, else null. When Readability finds
 * no article, or the page is too large or deep for it (html-limits.ts), the text is the whole body's. Never throws
 * for bad markup; the text may be empty. Callers bound the markup's depth first (estimateMarkupDepth).
 */
export function extractHtmlArticle(html: string): HtmlArticle {
  const document = parseDocument(html);
  const pageTitle = cleanLine(document.querySelector("title")?.textContent, maxTitleLength);
  const pageUrl = canonicalUrl(document);

  let article: ReturnType<Readability<Node>["parse"]> = null;
  const isReadable = isSmallEnoughForReadability(measureDom(document));
  try {
    // Readability changes the document it reads; it is given this copy only. The serializer hands back the
    // article element itself, so its text is read from the DOM, never from re-parsed markup.
    if (isReadable) article = new Readability<Node>(document, { serializer: (node) => node }).parse();
  } catch {
    article = null;
  }
  const articleText = article?.content ? domToPlainText(article.content) : "";
  const text = articleText.trim() ? articleText : bodyText(html);
  return {
    title: cleanLine(article?.title, maxTitleLength) ?? pageTitle,
    text,
    source: pageUrl ?? cleanLine(article?.siteName, maxSourceLength) ?? cleanLine(article?.byline, maxSourceLength),
  };
}

/** windows-1252's characters for bytes 0x80–0x9F (undefined ones map to the C1 control, as browsers do). */
const windows1252High = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ";

/**
 * windows-1252 (also what "iso-8859-1" and "latin1" mean on the web), decoded by hand: Node 20's TextDecoder
 * decodes it as ISO-8859-1, turning curly quotes and dashes into C1 control characters.
 */
function decodeWindows1252(bytes: Uint8Array): string {
  let text = "";
  for (let start = 0; start < bytes.length; start += 8192) {
    const chunk = bytes.subarray(start, start + 8192);
    text += String.fromCharCode(...chunk).replace(/[\u0080-\u009f]/g, (c) => windows1252High[c.charCodeAt(0) - 0x80]!);
  }
  return text;
}

/**
 * Decodes an HTML file's bytes: a byte-order mark decides; else UTF-8 when the bytes are valid UTF-8; else the
 * charset its <meta> declares in the first 1024 bytes (windows-1252, Shift_JIS, … as browsers know them).
 * Returns null when none of these applies.
 */
export function decodeHtmlBytes(bytes: Uint8Array): string | null {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? "utf-8" : bytes[0] === 0xfe && bytes[1] === 0xff ? "utf-16be" : bytes[0] === 0xff && bytes[1] === 0xfe ? "utf-16le" : null;
  if (bom) return new TextDecoder(bom).decode(bytes);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    /* not UTF-8: look for a declared charset */
  }
  const head = new TextDecoder("windows-1252").decode(bytes.subarray(0, 1024));
  const declared = /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head)?.[1];
  if (!declared) return null;
  try {
    const decoder = new TextDecoder(declared);
    // A page that says UTF-8 but is not is refused rather than stored with U+FFFD in place of its bytes.
    if (decoder.encoding === "utf-8") return null;
    return decoder.encoding === "windows-1252" ? decodeWindows1252(bytes) : decoder.decode(bytes);
  } catch {
    return null;
  }
}

/** An .html file: one article, its main text through Readability (see extractHtmlArticle). Throws 422 when unreadable or empty. */
export function importHtmlFile(bytes: Uint8Array, fileName: string): ImportedArticle[] {
  const html = decodeHtmlBytes(bytes);
  if (html === null) {
    throw new AppError("validation_failed", `${fileName} is neither UTF-8 nor in a character set its <meta charset> declares. Save it as UTF-8 and upload it again.`);
  }
  if (estimateMarkupDepth(html) > maxMarkupDepth) {
    throw new AppError("validation_failed", `${fileName} nests its elements more than ${maxMarkupDepth} deep, which no web page needs; it was not read.`);
  }
  const { title, text, source } = extractHtmlArticle(refuseNul(html, fileName));
  if (!text.trim()) throw new AppError("validation_failed", `${fileName} has no readable text: the page is empty once markup, scripts and styles are removed.`);
  return [{ title: title ?? fileStem(fileName), text, source, isTitleDerived: true, isSourceDerived: true }];
}
