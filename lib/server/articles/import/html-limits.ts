import "server-only";

/*
 * Bounds on the work an uploaded page may cause. linkedom's parser slows down sharply with nesting depth, and
 * Readability (which reads the text of whole subtrees over and over) with depth times element count: measured on
 * linkedom, a bare chain of 400 nested elements takes ~2 s and one of 1000 ~30 s; 24,000 elements in 100 nested
 * levels ~3 s; 29,000 flat paragraphs ~1.3 s. A page deeper than maxMarkupDepth is refused before parsing; a
 * parsed page past the Readability limits skips Readability and keeps its whole body text (a linear walk).
 */

/** Deepest nesting of the markup that is parsed at all. */
export const maxMarkupDepth = 2000;
/** Deepest DOM that Readability is run on. */
export const maxReadabilityDepth = 250;
/** Most elements that Readability is run on. */
export const maxReadabilityElements = 30_000;
/** Largest depth × element count that Readability is run on (about 2 s of work). */
export const maxReadabilityWork = 1_500_000;

const voidElements = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param", "source", "track", "wbr"]);
/** Elements whose end tag may be left out (the next sibling closes them), so they add no depth here. */
const optionalEndElements = new Set(["p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "colgroup", "caption", "rb", "rt", "rp"]);
/** Elements whose content is text, not markup. */
const rawTextElements = new Set(["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"]);

/**
 * The nesting depth of the markup, estimated from its tags without building a DOM (comments and the contents of
 * script, style and the like are skipped; end tags close up to the matching open element). Stops counting past
 * `limit`. Linear in the markup's length.
 */
export function estimateMarkupDepth(html: string, limit = maxMarkupDepth): number {
  const lower = html.toLowerCase();
  const tag = /<!--[\s\S]*?(?:-->|$)|<(\/?)([a-z][^\s/>]*)[^>]*>/g;
  const open: string[] = [];
  const openCount = new Map<string, number>();
  let deepest = 0;
  for (let match = tag.exec(lower); match; match = tag.exec(lower)) {
    const name = match[2];
    if (!name) continue;
    if (match[1]) {
      if (!openCount.get(name)) continue;
      for (let popped = open.pop(); popped !== undefined; popped = open.pop()) {
        openCount.set(popped, openCount.get(popped)! - 1);
        if (popped === name) break;
      }
      continue;
    }
    if (rawTextElements.has(name)) {
      const end = lower.indexOf(`</${name}`, tag.lastIndex);
      if (end < 0) break;
      tag.lastIndex = end;
      continue;
    }
    if (voidElements.has(name) || optionalEndElements.has(name) || match[0].endsWith("/>")) continue;
    open.push(name);
    openCount.set(name, (openCount.get(name) ?? 0) + 1);
    deepest = Math.max(deepest, open.length);
    if (deepest > limit) break;
  }
  return deepest;
}

/** Whether Readability may run on a DOM of this size (see the measurements above). */
export function isSmallEnoughForReadability({ depth, elements }: { depth: number; elements: number }): boolean {
  return depth <= maxReadabilityDepth && elements <= maxReadabilityElements && depth * elements <= maxReadabilityWork;
}

/** Depth and element count of a DOM, walked iteratively; stops counting once either limit is passed. */
export function measureDom(root: Node, limits = { depth: maxReadabilityDepth, elements: maxReadabilityElements }): { depth: number; elements: number } {
  let depth = 0;
  let elements = 0;
  const stack: [Node, number][] = [[root, 0]];
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const [node, level] = entry;
    if (node.nodeType !== 1 && node.nodeType !== 9) continue;
    if (node.nodeType === 1) elements += 1;
    depth = Math.max(depth, level);
    if (depth > limits.depth || elements > limits.elements) break;
    for (let child = node.firstChild; child; child = child.nextSibling) stack.push([child, level + 1]);
  }
  return { depth, elements };
}
