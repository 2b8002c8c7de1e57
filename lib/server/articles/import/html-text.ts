import "server-only";

/*
 * Plain text from a DOM subtree, roughly as a browser renders it (a simplified HTMLElement.innerText):
 * - block elements are separated by one blank line ("\n\n"); <br> is a line break; runs of breaks outside <pre>
 *   never leave more than one blank line, and the text never starts or ends with one;
 * - whitespace (space, tab, CR, LF, FF) collapses to one space and disappears at line starts and ends, as CSS
 *   `white-space: normal` does; inside <pre> it is kept as written; U+00A0 is kept, except that a run of text
 *   (between breaks) made only of white space and U+00A0 counts as one collapsible space (CMS spacer paragraphs);
 * - table cells in a row are separated by a tab, rows by a line break;
 * - entities arrive decoded from the parser; no markup is left: only text nodes are read, and the contents of
 *   script, style, template, noscript, form controls, embedded content and hidden elements are skipped.
 * Pure: reads the DOM it is given, changes nothing, fetches nothing.
 */

const elementNode = 1;
const textNode = 3;

/** Elements whose contents are never text a reader sees. */
const skippedElements = new Set([
  "script", "style", "template", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math",
  "canvas", "audio", "video", "picture", "img", "map", "head", "title", "meta", "link", "base", "input", "select",
  "option", "optgroup", "datalist", "textarea", "button", "dialog", "param", "source", "track",
]);

/** Elements laid out as blocks: one blank line before and after. */
const blockElements = new Set([
  "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dir", "div", "dl", "dt",
  "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr",
  "html", "legend", "li", "listing", "main", "menu", "nav", "ol", "p", "plaintext", "pre", "search", "section",
  "summary", "table", "ul", "xmp",
]);

const preformattedElements = new Set(["pre", "listing", "plaintext", "xmp"]);

const collapsibleWhitespace = /[ \t\n\r\f]+/g;
const blankText = /^[ \t\n\r\f\u00a0]*$/;

type Item = { kind: "text"; text: string; isPreformatted: boolean } | { kind: "break"; count: number } | { kind: "cell" };

function isHidden(element: Element): boolean {
  if (element.hasAttribute("hidden")) return true;
  const style = element.getAttribute("style");
  return style !== null && /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\s*(?:!important\s*)?(?:;|$)/i.test(style);
}

type Work = { node: Node; isPreformatted: boolean } | { closing: string; firstChildIndex: number };

/** Walks the tree in document order (iteratively: hostile markup may nest deeper than the call stack allows). */
function collectItems(root: Node): Item[] {
  const items: Item[] = [];
  const stack: Work[] = [{ node: root, isPreformatted: false }];
  const pushChildren = (node: Node, isPreformatted: boolean) => {
    const children = Array.from(node.childNodes);
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i]!, isPreformatted });
  };
  for (let work = stack.pop(); work; work = stack.pop()) {
    if ("closing" in work) {
      if (work.closing === "pre" || work.closing === "listing") dropLeadingNewline(items, work.firstChildIndex);
      if (blockElements.has(work.closing)) items.push({ kind: "break", count: 2 });
      if (work.closing === "tr") items.push({ kind: "break", count: 1 });
      continue;
    }
    const { node, isPreformatted } = work;
    if (node.nodeType === textNode) {
      const text = node.nodeValue ?? "";
      if (!text) continue;
      // One run of text between breaks, however the parser split it into nodes (linkedom makes "&nbsp;" its own node).
      const last = items.at(-1);
      if (last?.kind === "text" && last.isPreformatted === isPreformatted) last.text += text;
      else items.push({ kind: "text", text, isPreformatted });
      continue;
    }
    if (node.nodeType !== elementNode) {
      // Documents and fragments are walked; comments, processing instructions and doctypes are not text.
      if (node.nodeType === 9 || node.nodeType === 11) pushChildren(node, isPreformatted);
      continue;
    }
    const element = node as Element;
    const tag = element.localName.toLowerCase();
    if (skippedElements.has(tag) || isHidden(element)) continue;
    if (tag === "br") {
      items.push({ kind: "break", count: -1 });
      continue;
    }
    if (blockElements.has(tag)) items.push({ kind: "break", count: 2 });
    if (tag === "tr") items.push({ kind: "break", count: 1 });
    if (tag === "td" || tag === "th") items.push({ kind: "cell" });
    stack.push({ closing: tag, firstChildIndex: items.length });
    pushChildren(element, isPreformatted || preformattedElements.has(tag));
  }
  return items;
}

/** The HTML parser drops a newline right after <pre>; not every parser does, so it is done here. */
function dropLeadingNewline(items: Item[], from: number): void {
  const first = items[from];
  if (first?.kind === "text" && first.text.startsWith("\n")) first.text = first.text.slice(1);
}

/** Number of "\n" at the end of `text`. */
function countTrailingNewlines(text: string): number {
  let count = 0;
  while (count < text.length && text.charCodeAt(text.length - 1 - count) === 10) count++;
  return count;
}

/**
 * Joins the walk's items into text: collapses spaces, merges breaks, trims line starts and ends.
 * `wantedNewlines` is how many "\n" the boundary before the next text must show, counting those already written;
 * `trailingNewlines` is how many the output ends with (tracked, not read back: the output is built as parts).
 */
function joinItems(items: Item[]): string {
  const parts: string[] = [];
  let trailingNewlines = 0;
  let wantedNewlines = 0;
  let hasPendingSpace = false;
  let hasPendingCell = false;

  const write = (text: string) => {
    parts.push(text);
    const trailing = countTrailingNewlines(text);
    trailingNewlines = trailing === text.length ? trailingNewlines + trailing : trailing;
  };
  const emit = (text: string) => {
    if (!text) return;
    if (parts.length) {
      const missing = Math.min(wantedNewlines, 2) - Math.min(trailingNewlines, 2);
      if (missing > 0) write("\n".repeat(missing));
      if (trailingNewlines === 0) {
        if (hasPendingCell) write("\t");
        else if (hasPendingSpace) write(" ");
      }
    }
    wantedNewlines = 0;
    hasPendingSpace = false;
    hasPendingCell = false;
    write(text);
  };

  for (const item of items) {
    if (item.kind === "break") {
      // A block asks for a blank line, a table row for a line break; a <br> ends the current line, or adds an
      // empty one, up to one blank line.
      wantedNewlines =
        item.count < 0 ? Math.min(2, Math.max(wantedNewlines, parts.length ? Math.min(trailingNewlines, 2) : 0) + 1) : Math.max(wantedNewlines, item.count);
      hasPendingSpace = false;
      hasPendingCell = false;
    } else if (item.kind === "cell") {
      hasPendingCell = true;
    } else if (item.isPreformatted) {
      emit(item.text);
    } else if (blankText.test(item.text)) {
      if (wantedNewlines === 0) hasPendingSpace = true;
    } else {
      const collapsed = item.text.replace(collapsibleWhitespace, " ");
      const startsWithSpace = collapsed.startsWith(" ");
      const endsWithSpace = collapsed.endsWith(" ");
      if (startsWithSpace && wantedNewlines === 0) hasPendingSpace = true;
      emit(collapsed.slice(startsWithSpace ? 1 : 0, endsWithSpace ? -1 : undefined));
      hasPendingSpace = endsWithSpace;
    }
  }
  return parts.join("");
}

/**
 * The plain text a reader sees in `root` (an element, document or fragment of any DOM implementation), with
 * blocks separated by blank lines. See the rules at the top of this file.
 */
export function domToPlainText(root: Node): string {
  return joinItems(collectItems(root));
}
