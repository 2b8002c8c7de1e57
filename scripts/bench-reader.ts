// The reader under load, for `npm run bench` (scripts/bench.ts calls benchReader at the end of its run):
//  - a 1,000,000-character article built from the demo texts (prisma/demo/articles/*.txt, repeated, joined by
//    paragraph breaks) with 10,000 entity mentions (10% of them overlapping another one), created through the API
//    on a fresh database with a few requests in flight; how long seeding took;
//  - through the API, p50/p95 of creating ONE more annotation with 10,000 present (sequential, each a fresh span);
//  - in headless Chromium, navigation start → every highlight in the page and painted (two animation frames after
//    they are in the DOM), and the time to scroll from the top to the end (one jump, then two frames; and in 20
//    steps of two frames each, which at 60 Hz cannot take less than ≈ 667 ms), for Spanlight's reader and for a plain
//    HTML page holding the same text and spans as nested <mark>s (measured in the same run), and their ratios.
//    Three loads each, medians; a load that takes over 120 s is reported as timed out.
// Seeding goes through the batch create (500 annotations per request, two requests in flight); the create timings
// are of single creates, one request each.
// Like bench.ts it talks to the app over HTTP only and imports no app code. Everything it starts (the server, its
// database or data dir, the browser, the static file server) is stopped and removed at the end, also on failure.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { chromium, type Browser, type BrowserContext } from "playwright-core";
import { median, percentile } from "./bench-stats.ts";
import { createFreshDatabase, type FreshDatabase } from "./load/fresh-postgres.ts";
import { randomSource } from "./load/spans.ts";

export interface ReaderBenchOptions {
  root: string;
  chromiumPath: string;
  chromiumArgs: string[];
  /** PostgreSQL server to make a fresh database on; unset means a fresh embedded database (PGlite) in a temp dir. */
  databaseUrl?: string;
  /** Starts `next start` with this environment (the caller adds PORT and NODE_ENV) and resolves once it answers. */
  startServer(env: NodeJS.ProcessEnv): Promise<{ port: number; stop(): Promise<void> }>;
  /** A new temp dir, removed by the caller at the end at the latest. */
  makeTempDir(): string;
  /** Registers a clean-up step the caller also runs on failure or a signal; returns a function that runs it now (once). */
  onCleanup(task: () => Promise<void>): () => Promise<void>;
  log(message: string): void;
  /**
   * Soft time budget for the browser part, from its start: a second or third page run is left out (and said so)
   * rather than going past it. Seeding is not bounded here: through the API it takes what it takes.
   */
  pagesBudgetMs?: number;
}

export interface PageFigures {
  /** Median of the runs that finished, null when none did. */
  paintedMs: number | null;
  paintedRuns: number[];
  /** Jump from the top to the end, then two frames. */
  scrollMs: number | null;
  scrollRuns: number[];
  /** From the top to the end in 20 steps, two frames each (so at least 40 frames: ≈ 667 ms at 60 Hz). */
  scrollStepsMs: number | null;
  scrollStepsRuns: number[];
  /** Set when a run did not finish within the page timeout. */
  timedOutAfterMs?: number;
  note?: string;
}

export interface SpanlightBreakdown {
  /** All page-time ms (0 = navigation start), from the median run. */
  htmlResponseEndMs: number;
  domContentLoadedMs: number;
  editorTextShownMs: number | null;
  annotationsFetch: { startMs: number; endMs: number; bytes: number } | null;
  highlightsInDomMs: number;
  /** Distinct annotation ids in the page when the highlights were in. */
  distinctIds: number | null;
  /** Annotations overlapping the stretch of text the reader draws, and that stretch. */
  expectedIds: number | null;
  drawn: { from: number; to: number } | null;
  paintedMs: number;
  longTasks: { count: number; totalMs: number; longestMs: number };
  domElements: number;
  highlightElements: number;
}

export interface ReaderBenchResult {
  database: "postgresql" | "embedded";
  textLength: number;
  paragraphs: number;
  annotations: {
    seeded: number;
    overlapping: number;
    addedForCreateTimings: number;
    /** All of them: seeded + added. */
    expectedInPage: number;
    /** Those lying wholly inside another one (older readers drew no element of their own for them, see spanlightProbe). */
    containedInAnother: number;
  };
  seedArticleMs: number;
  seedAnnotationsMs: number;
  seedConcurrency: number;
  createOneMs: { p50: number; p95: number; max: number; n: number };
  annotationsListMs: { median: number; bytes: number };
  baseline: PageFigures & { markElements: number; htmlBytes: number };
  spanlight: PageFigures & { breakdown?: SpanlightBreakdown };
  paintRatio: number | null;
  scrollRatio: number | null;
  scrollStepsRatio: number | null;
  review: ReviewViewFigures & { paintRatio: number | null };
  rows: [label: string, figures: string, target?: string][];
}

const targetLength = 1_000_000;
const seededAnnotations = 10_000;
const overlappingShare = 0.1;
const seedConcurrency = 2;
const seedBatchSize = 500;
const createWarmups = 5;
const createSamples = 100;
const pageRuns = 3;
const pageTimeoutMs = 120_000;
const scrollSteps = 20;
const password = "spanlight-bench-password";
const entitySeeds = [
  { name: "Vladimir Putin", type: "PER", aliases: ["Putin"] },
  { name: "François Hollande", type: "PER", aliases: ["Hollande", "Francois Hollande"] },
  { name: "Bashar al-Assad", type: "PER", aliases: ["Assad"] },
  { name: "Islamic State", type: "ORG", aliases: ["ISIS", "Daesh", "IS"] },
  { name: "Syria", type: "LOC", aliases: [] },
  { name: "Moscow", type: "LOC", aliases: [] },
];

// ---------- small helpers ----------

const ms = (value: number) => `${Math.round(value).toLocaleString("en")} ms`;
const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;
const runsOf = (values: number[]) => values.map((value) => Math.round(value)).join(", ");

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => (char === "&" ? "&amp;" : char === "<" ? "&lt;" : char === ">" ? "&gt;" : "&quot;"));
}

/** Runs `work` over `items` with at most `limit` in flight; stops handing out work after the first failure. */
async function inPool<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown = null;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (failure === null && next < items.length) {
        const index = next++;
        try {
          await work(items[index]!, index);
        } catch (error) {
          failure ??= error;
        }
      }
    }),
  );
  if (failure !== null) throw failure;
}

// ---------- the article and its spans ----------

/** The canonical text the server will store for our input (it only unifies line breaks and drops a leading BOM). */
function canonical(text: string): string {
  return text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
}

export function buildArticleText(root: string, length = targetLength): string {
  const dir = path.join(root, "prisma", "demo", "articles");
  const samples = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".txt"))
    .sort()
    .map((name) => canonical(fs.readFileSync(path.join(dir, name), "utf8")).trim());
  if (!samples.length) throw new Error(`no sample texts in ${dir}`);
  const parts: string[] = [];
  let total = 0;
  for (let i = 0; total < length; i++) {
    const part = samples[i % samples.length]!;
    parts.push(part);
    total += part.length + 2;
  }
  let text = parts.join("\n\n").slice(0, length);
  // Never end inside a surrogate pair: replace a lone high surrogate left by the cut with a plain letter.
  if (/[\uD800-\uDBFF]$/.test(text)) text = `${text.slice(0, -1)}x`;
  return text;
}

interface Word {
  start: number;
  end: number;
  line: number;
}
export interface PlannedSpan {
  start: number;
  end: number;
  quote: string;
  entityId: string;
}

function wordsOf(text: string): Word[] {
  const words: Word[] = [];
  let line = 0;
  const pattern = /[\p{L}\p{N}][\p{L}\p{N}'’-]*|\n/gu;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (match[0] === "\n") {
      line++;
      continue;
    }
    words.push({ start: match.index, end: match.index + match[0].length, line });
  }
  return words;
}

/**
 * Word-aligned spans inside one line: `seeded` of them, of which `overlapping` overlap another: half contain a
 * base span with a word more on each side, half cross one, starting on its second word and ending a word after it.
 * Plus `fresh` spans that touch nothing, for the create timings. Deterministic: every run plans the same spans.
 */
export function planSpans(text: string, entityIds: string[], { seeded, overlapping, fresh }: { seeded: number; overlapping: number; fresh: number }) {
  const words = wordsOf(text);
  const random = randomSource(20_240_611);
  const baseCount = seeded - overlapping;
  const slots = baseCount + fresh;
  const stride = Math.floor(words.length / slots);
  if (stride < 6) throw new Error(`the text has too few words (${words.length}) for ${slots} spans`);
  const pick = () => entityIds[Math.floor(random() * entityIds.length)]!;
  const span = (from: Word, to: Word): PlannedSpan => ({ start: from.start, end: to.end, quote: text.slice(from.start, to.end), entityId: pick() });
  const sameLine = (first: number, last: number) => first >= 0 && last < words.length && words[first]!.line === words[last]!.line;

  const base: PlannedSpan[] = [];
  const overlaps: PlannedSpan[] = [];
  const freshSpans: PlannedSpan[] = [];
  const overlapEvery = baseCount / overlapping;
  let nextOverlapAt = 0;
  let crossingCount = 0;
  for (let slot = 0; slot < slots; slot++) {
    // Slot `slot` owns words [slot * stride, (slot + 1) * stride); spans start at its 2nd word and end by its
    // second-last, so a span extended by a word on each side stays inside the slot.
    const first = slot * stride + 1;
    const isFresh = slot % Math.ceil(slots / fresh) === 0 && freshSpans.length < fresh;
    // 1–3 words, with a word before and after it on the same line (room for a containing span), inside the slot.
    const wanted = 1 + Math.floor(random() * 3);
    let start = first;
    let length = 1;
    search: for (let at = first; at <= first + stride - 6; at++) {
      for (let count = wanted; count >= 1; count--) {
        if (sameLine(at - 1, at + count)) {
          start = at;
          length = count;
          break search;
        }
      }
    }
    const last = start + length - 1;
    if (isFresh) {
      freshSpans.push(span(words[start]!, words[last]!));
      continue;
    }
    if (base.length >= baseCount) continue;
    base.push(span(words[start]!, words[last]!));
    if (base.length - 1 >= nextOverlapAt && overlaps.length < overlapping && sameLine(start - 1, last + 1)) {
      nextOverlapAt += overlapEvery;
      // As many crossing as containing; a one-word span can only be contained.
      const crossing = crossingCount < overlaps.length - crossingCount && length >= 2;
      if (crossing) crossingCount++;
      overlaps.push(crossing ? span(words[start + 1]!, words[last + 1]!) : span(words[start - 1]!, words[last + 1]!));
    }
  }
  if (base.length < baseCount || overlaps.length < overlapping || freshSpans.length < fresh) {
    throw new Error(`could only plan ${base.length}/${baseCount} base, ${overlaps.length}/${overlapping} overlapping, ${freshSpans.length}/${fresh} fresh spans`);
  }
  // Interleave, so the overlapping ones are created while the set grows rather than all at the end.
  const seededSpans: PlannedSpan[] = [];
  const ratio = base.length / overlaps.length;
  for (let i = 0, j = 0; i < base.length || j < overlaps.length; ) {
    if (j < overlaps.length && (i >= base.length || i >= (j + 1) * ratio)) seededSpans.push(overlaps[j++]!);
    else seededSpans.push(base[i++]!);
  }
  return { seeded: seededSpans, fresh: freshSpans };
}

/** How many spans lie wholly inside another one (and so share every character with it). */
export function countContained(spans: { start: number; end: number }[]): number {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  let maxEnd = -1;
  let contained = 0;
  for (const span of sorted) {
    if (maxEnd >= span.end) contained++;
    maxEnd = Math.max(maxEnd, span.end);
  }
  return contained;
}

// ---------- the plain HTML baseline ----------

/**
 * The same text, one <p> per line (as the reader's document has it), the spans as <mark>s nested where one
 * contains another; a span crossing another's end is split into pieces (as any HTML must). Returns the page and
 * how many <mark> elements it has.
 */
export function baselineHtml(text: string, spans: { start: number; end: number; type: string }[]): { html: string; marks: number } {
  const sorted = spans.map((span, index) => ({ ...span, id: index })).sort((a, b) => a.start - b.start || b.end - a.end);
  let marks = 0;
  const out: string[] = [
    "<!doctype html><html lang=en><head><meta charset=utf-8><title>Baseline: plain HTML with marks</title><style>",
    "body{font:16px/1.6 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f}",
    "p{margin:0 0 .4rem;white-space:pre-wrap}",
    "mark{background:none;color:inherit;border-bottom:2px solid #888;padding-bottom:1px}",
    "mark.PER{border-color:#0072B2}mark.ORG{border-color:#D55E00}mark.LOC{border-color:#009E73}",
    "mark mark{border-bottom-width:4px}",
    "</style></head><body><h1>Baseline</h1><article>",
  ];
  let cursor = 0;
  let spanIndex = 0;
  for (const line of text.split("\n")) {
    const lineStart = cursor;
    const lineEnd = lineStart + line.length;
    cursor = lineEnd + 1;
    const inLine: typeof sorted = [];
    while (spanIndex < sorted.length && sorted[spanIndex]!.start < lineEnd) inLine.push(sorted[spanIndex++]!);
    if (inLine.some((span) => span.end > lineEnd)) throw new Error("a planned span crosses a line break");
    const points = [...new Set([lineStart, lineEnd, ...inLine.flatMap((span) => [span.start, span.end])])].sort((a, b) => a - b);
    const open: typeof sorted = [];
    let html = "";
    const openTag = (span: (typeof sorted)[number]) => {
      marks++;
      return `<mark class=${span.type} data-id=${span.id}>`;
    };
    let next = 0;
    for (let p = 0; p < points.length; p++) {
      const at = points[p]!;
      // Close what ends here; what was opened inside it is closed too and reopened after (split in pieces).
      const firstEnding = open.findIndex((span) => span.end === at);
      if (firstEnding >= 0) {
        const above = open.splice(firstEnding);
        html += "</mark>".repeat(above.length);
        for (const span of above) {
          if (span.end === at) continue;
          open.push(span);
          html += openTag(span);
        }
      }
      while (next < inLine.length && inLine[next]!.start === at) {
        const span = inLine[next++]!;
        open.push(span);
        html += openTag(span);
      }
      const until = points[p + 1];
      if (until !== undefined) html += escapeHtml(text.slice(at, until));
    }
    if (open.length) throw new Error("unclosed marks at a line end");
    out.push(`<p>${html}</p>`);
  }
  out.push("</article></body></html>");
  return { html: out.join("\n"), marks };
}

// ---------- the server, its fresh database, the API ----------

class Api {
  cookie = "";
  constructor(readonly base: string) {}

  async call<T>(method: string, pathname: string, body?: unknown): Promise<{ status: number; data: T; bytes: number }> {
    const response = await fetch(`${this.base}${pathname}`, {
      method,
      headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...(this.cookie ? { cookie: this.cookie } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const setCookie = response.headers.getSetCookie()[0];
    if (setCookie) this.cookie = setCookie.split(";")[0]!;
    const text = await response.text();
    const data = (text ? JSON.parse(text) : null) as T;
    return { status: response.status, data, bytes: Buffer.byteLength(text) };
  }

  async expect<T>(status: number, method: string, pathname: string, body?: unknown): Promise<T> {
    const result = await this.call<T>(method, pathname, body);
    if (result.status !== status) throw new Error(`${method} ${pathname} answered ${result.status}, not ${status}: ${JSON.stringify(result.data).slice(0, 400)}`);
    return result.data;
  }
}

// ---------- the pages ----------

/** Plain JavaScript, not functions: tsx/esbuild would wrap named functions in a `__name` helper the page lacks. */
function baselineProbe(expectedMarks: number): string {
  return `(() => {
    const bench = (window.__bench = {});
    const marks = document.getElementsByTagName("mark");
    const check = () => {
      if (marks.length >= ${expectedMarks}) {
        bench.readyAt = performance.now();
        bench.found = marks.length;
        requestAnimationFrame(() => requestAnimationFrame(() => (bench.paintedAt = performance.now())));
        return;
      }
      requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  })();`;
}

/**
 * Highlights are in when every annotation the reader means to draw has its element in the page: the reader says
 * which stretch of the text it draws (data-drawn-from/-to on its surface: all of it for a short article, the
 * viewport and a few screens around it for a long one), and the probe, knowing every span, counts the annotations
 * overlapping that stretch and waits until that many distinct annotation ids are in the editor. Every annotation
 * has its own element (the decorations have a nodeName).
 */
function spanlightProbe(spans: { start: number; end: number }[]): string {
  return `(() => {
    const bench = (window.__bench = { longTasks: [] });
    try {
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) bench.longTasks.push([entry.startTime, entry.duration]);
      }).observe({ type: "longtask", buffered: true });
    } catch {}
    const starts = ${JSON.stringify(spans.map((span) => span.start))};
    const ends = ${JSON.stringify(spans.map((span) => span.end))};
    bench.expectedIn = (from, to) => {
      let count = 0;
      for (let i = 0; i < starts.length; i++) if (starts[i] < to && ends[i] > from) count++;
      return count;
    };
    bench.drawnIds = () => {
      const ids = new Set();
      for (const element of document.querySelectorAll(".ProseMirror [data-annotation-id]")) ids.add(element.getAttribute("data-annotation-id"));
      return ids.size;
    };
    bench.isDrawn = () => {
      const surface = document.querySelector("[data-drawn-to]");
      if (!surface || !document.querySelector(".ProseMirror")) return false;
      const expected = bench.expectedIn(Number(surface.getAttribute("data-drawn-from")), Number(surface.getAttribute("data-drawn-to")));
      const drawn = bench.drawnIds();
      bench.expected = expected;
      bench.found = drawn;
      return drawn >= expected;
    };
    const check = () => {
      const editor = document.querySelector(".ProseMirror");
      if (editor && bench.textAt === undefined && editor.childElementCount > 0) bench.textAt = performance.now();
      if (bench.isDrawn()) {
        bench.readyAt = performance.now();
        bench.elements = document.querySelectorAll(".ProseMirror .ann").length;
        requestAnimationFrame(() => requestAnimationFrame(() => (bench.paintedAt = performance.now())));
        return;
      }
      requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  })();`;
}

/** From the top: one jump to the end (then two frames); and back at the top, `scrollSteps` steps to the end (two frames each). */
const scrollToEnd = `(async () => {
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  const bottom = () => document.documentElement.scrollHeight - window.innerHeight;
  const atEnd = () => window.scrollY >= bottom() - 2;
  window.scrollTo(0, 0);
  await frame();
  await frame();
  // Spanlight draws the highlights near the viewport: the jump ends when those at the end are drawn too.
  const drawnAtEnd = () => {
    const surface = document.querySelector("[data-drawn-to]");
    return !surface || !window.__bench.isDrawn || (surface.getAttribute("data-drawn-to") === surface.getAttribute("data-text-length") && window.__bench.isDrawn());
  };
  let started = performance.now();
  window.scrollTo(0, bottom());
  await frame();
  while (!drawnAtEnd() && performance.now() - started < 10000) await frame();
  await frame();
  const jump = performance.now() - started;
  const jumpReachedEnd = atEnd();
  window.scrollTo(0, 0);
  await frame();
  await frame();
  started = performance.now();
  for (let step = 1; step <= ${scrollSteps}; step++) {
    window.scrollTo(0, Math.round((bottom() * step) / ${scrollSteps}));
    await frame();
    await frame();
  }
  const steps = performance.now() - started;
  return { jump, steps, atEnd: jumpReachedEnd && atEnd(), height: document.documentElement.scrollHeight };
})()`;

const pageFacts = `(() => {
  const navigation = performance.getEntriesByType("navigation")[0];
  const annotations = performance.getEntriesByType("resource").find((entry) => /\\/annotations\\?layer=mine/.test(entry.name));
  const longTasks = window.__bench.longTasks || [];
  return {
    htmlResponseEndMs: navigation ? navigation.responseEnd : 0,
    domContentLoadedMs: navigation ? navigation.domContentLoadedEventEnd : 0,
    editorTextShownMs: window.__bench.textAt ?? null,
    annotationsFetch: annotations ? { startMs: annotations.startTime, endMs: annotations.responseEnd, bytes: annotations.decodedBodySize } : null,
    highlightsInDomMs: window.__bench.readyAt,
    distinctIds: window.__bench.found ?? null,
    expectedIds: window.__bench.expected ?? null,
    drawn: (() => {
      const surface = document.querySelector("[data-drawn-to]");
      return surface ? { from: Number(surface.getAttribute("data-drawn-from")), to: Number(surface.getAttribute("data-drawn-to")) } : null;
    })(),
    paintedMs: window.__bench.paintedAt,
    longTasks: {
      count: longTasks.length,
      totalMs: longTasks.reduce((sum, task) => sum + task[1], 0),
      longestMs: longTasks.reduce((longest, task) => Math.max(longest, task[1]), 0),
    },
    domElements: document.getElementsByTagName("*").length,
    highlightElements: window.__bench.elements ?? document.getElementsByTagName("mark").length,
  };
})()`;

type Run = { painted: number; scroll: number; scrollSteps: number; facts: SpanlightBreakdown } | { timedOut: true; waitedMs: number; state: string };

/** What a page that timed out had got to, for the report. */
const stateAtTimeout = `(() => {
  const editor = document.querySelector(".ProseMirror");
  const ids = new Set();
  if (editor) for (const element of editor.querySelectorAll("[data-annotation-id]")) ids.add(element.getAttribute("data-annotation-id"));
  return editor
    ? "reader text " + (editor.childElementCount ? "shown" : "not shown") + ", " + ids.size + " distinct annotation ids in it"
    : document.getElementsByTagName("mark").length + " <mark>s in the page";
})()`;

/** One load in a new tab: navigation start → probe's paintedAt, then the scroll to the end. */
async function measureLoad(context: BrowserContext, url: string, timeoutMs: number, expectPath: string): Promise<Run> {
  const page = await context.newPage();
  try {
    const started = performance.now();
    const response = await page.goto(url, { waitUntil: "commit", timeout: timeoutMs });
    if (response?.status() !== 200) throw new Error(`GET ${url} answered ${response?.status()}`);
    if (!new URL(page.url()).pathname.startsWith(expectPath)) throw new Error(`${url} went to ${page.url()}`);
    try {
      await page.waitForFunction("window.__bench && window.__bench.paintedAt", undefined, {
        timeout: Math.max(1000, timeoutMs - (performance.now() - started)),
        polling: 100,
      });
    } catch (error) {
      if (!(error instanceof Error && error.name === "TimeoutError")) throw error;
      const state = await Promise.race([page.evaluate(stateAtTimeout) as Promise<string>, new Promise<string>((resolve) => setTimeout(() => resolve("page unresponsive"), 5000).unref())]).catch(
        (failure: unknown) => `state unknown: ${failure instanceof Error ? failure.message : failure}`,
      );
      return { timedOut: true, waitedMs: timeoutMs, state };
    }
    const facts = (await page.evaluate(pageFacts)) as SpanlightBreakdown;
    const scrolled = (await Promise.race([
      page.evaluate(scrollToEnd),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`scrolling ${url} took over ${timeoutMs / 1000} s`)), timeoutMs).unref()),
    ])) as { jump: number; steps: number; atEnd: boolean; height: number };
    if (!scrolled.atEnd) throw new Error(`scrolling ${url} did not reach the end (height ${scrolled.height})`);
    return { painted: facts.paintedMs, scroll: scrolled.jump, scrollSteps: scrolled.steps, facts };
  } finally {
    await page.close({ runBeforeUnload: false }).catch(() => {});
  }
}

async function measurePage(
  label: string,
  context: BrowserContext,
  url: string,
  expectPath: string,
  { deadline, log }: { deadline: number; log: (message: string) => void },
): Promise<PageFigures & { facts: SpanlightBreakdown[] }> {
  const painted: number[] = [];
  const scroll: number[] = [];
  const stepped: number[] = [];
  const facts: SpanlightBreakdown[] = [];
  const figures = (extra: Partial<PageFigures> = {}) => ({
    paintedMs: painted.length ? median(painted) : null,
    paintedRuns: painted,
    scrollMs: scroll.length ? median(scroll) : null,
    scrollRuns: scroll,
    scrollStepsMs: stepped.length ? median(stepped) : null,
    scrollStepsRuns: stepped,
    facts,
    ...extra,
  });
  for (let run = 1; run <= pageRuns; run++) {
    const left = deadline - performance.now();
    // Past the budget, a second or third run is left out (the first one always runs, with the full timeout).
    if (run > 1 && left < Math.min(pageTimeoutMs, 2 * (median(painted) + median(scroll) + median(stepped)) + 5000)) {
      log(`${label}: out of time budget after ${run - 1} run(s)`);
      return figures({ note: `${run - 1} of ${pageRuns} runs (time budget)` });
    }
    const outcome = await measureLoad(context, url, pageTimeoutMs, expectPath);
    if ("timedOut" in outcome) {
      log(`${label} run ${run}: timed out after ${outcome.waitedMs / 1000} s (${outcome.state})`);
      return figures({ timedOutAfterMs: outcome.waitedMs, note: `at the time-out: ${outcome.state}` });
    }
    painted.push(outcome.painted);
    scroll.push(outcome.scroll);
    stepped.push(outcome.scrollSteps);
    facts.push(outcome.facts);
    log(`${label} run ${run}/${pageRuns}: painted at ${ms(outcome.painted)}, scroll to end ${ms(outcome.scroll)}, in ${scrollSteps} steps ${ms(outcome.scrollSteps)}`);
  }
  return figures();
}

// ---------- the bench ----------

export async function benchReader(options: ReaderBenchOptions): Promise<ReaderBenchResult> {
  const { log } = options;
  const began = performance.now();
  let browser: Browser | undefined;
  let staticServer: http.Server | undefined;
  let server: { stop(): Promise<void> } | undefined;
  let database: FreshDatabase | undefined;
  const release = options.onCleanup(async () => {
    await browser?.close().catch(() => {});
    if (staticServer) {
      staticServer.closeAllConnections();
      await new Promise<void>((resolve) => staticServer!.close(() => resolve()));
    }
    await server?.stop();
    await database?.drop().catch((error: unknown) => log(`could not drop ${database?.name}: ${error instanceof Error ? error.message : error}`));
  });

  try {
    // A fresh database and a server on it.
    const env: NodeJS.ProcessEnv = { ...process.env, SPANLIGHT_DEMO: "0" };
    delete env.SPANLIGHT_SIGNUP;
    if (options.databaseUrl) {
      database = await createFreshDatabase(options.databaseUrl, "spanlight_bench", log);
      env.DATABASE_URL = database.url;
      delete env.SPANLIGHT_DATA_DIR;
      log(`reader: fresh PostgreSQL database ${database.name}`);
    } else {
      delete env.DATABASE_URL;
      env.SPANLIGHT_DATA_DIR = options.makeTempDir();
      log(`reader: fresh embedded database under ${env.SPANLIGHT_DATA_DIR}`);
    }
    const started = await options.startServer(env);
    server = started;
    const base = `http://127.0.0.1:${started.port}`;
    const api = new Api(base);
    const email = `bench-${randomBytes(4).toString("hex")}@bench.spanlight`;
    await api.expect(201, "POST", "/api/auth/signup", { email, name: "Bench Reader", password });
    if (!api.cookie) throw new Error("sign-up set no session cookie");
    const project = await api.expect<{ id: string }>(201, "POST", "/api/projects", { name: "Reader bench" });
    const entityIds: string[] = [];
    for (const entity of entitySeeds) entityIds.push((await api.expect<{ id: string }>(201, "POST", `/api/projects/${project.id}/entities`, entity)).id);
    const typeOf = new Map(entityIds.map((id, index) => [id, entitySeeds[index]!.type]));

    // The article.
    const text = buildArticleText(options.root);
    const articleStarted = performance.now();
    const article = await api.expect<{ id: string }>(201, "POST", `/api/projects/${project.id}/articles`, {
      title: "Reader bench: 1,000,000 characters",
      text,
      source: "spanlight bench",
    });
    const seedArticleMs = performance.now() - articleStarted;
    const stored = await api.expect<{ text: string }>(200, "GET", `/api/articles/${article.id}`);
    if (stored.text !== text) throw new Error(`the stored text differs from the one sent (${stored.text.length} vs ${text.length} characters)`);
    log(`reader: ${text.length.toLocaleString("en")}-character article created in ${ms(seedArticleMs)}`);

    // The annotations, a few at a time.
    const overlapping = Math.round(seededAnnotations * overlappingShare);
    const plan = planSpans(text, entityIds, { seeded: seededAnnotations, overlapping, fresh: createWarmups + createSamples });
    const seedStarted = performance.now();
    let done = 0;
    const batches = Array.from({ length: Math.ceil(plan.seeded.length / seedBatchSize) }, (_, index) => plan.seeded.slice(index * seedBatchSize, (index + 1) * seedBatchSize));
    await inPool(batches, seedConcurrency, async (batch) => {
      await api.expect(201, "POST", `/api/articles/${article.id}/annotations`, { annotations: batch.map((span) => ({ kind: "entity", ...span })) });
      done += batch.length;
      if (done % 2000 === 0) log(`reader: ${done.toLocaleString("en")} annotations (${seconds(performance.now() - seedStarted)})`);
    });
    const seedAnnotationsMs = performance.now() - seedStarted;

    // One more, sequentially, with 10,000 present.
    const createTimes: number[] = [];
    for (const [index, span] of plan.fresh.entries()) {
      const sent = performance.now();
      await api.expect(201, "POST", `/api/articles/${article.id}/annotations`, { kind: "entity", ...span });
      if (index >= createWarmups) createTimes.push(performance.now() - sent);
    }
    const expectedInPage = plan.seeded.length + plan.fresh.length;

    // What the reader fetches.
    const listTimes: number[] = [];
    let listBytes = 0;
    for (let i = 0; i < 3; i++) {
      const sent = performance.now();
      const listed = await api.call<{ annotations: unknown[] }>("GET", `/api/articles/${article.id}/annotations?layer=mine`);
      listTimes.push(performance.now() - sent);
      listBytes = listed.bytes;
      if (listed.status !== 200 || listed.data.annotations.length !== expectedInPage) {
        throw new Error(`GET annotations answered ${listed.status} with ${listed.data.annotations?.length} annotations, not ${expectedInPage}`);
      }
    }
    log(`reader: seeded in ${seconds(seedAnnotationsMs)}; create p95 ${ms(percentile(createTimes, 95))}; list ${ms(median(listTimes))}`);
    const settle = async () => database?.vacuum();
    await settle();

    // The plain HTML baseline, served from another loopback port.
    const allSpans = [...plan.seeded, ...plan.fresh].map((span) => ({ start: span.start, end: span.end, type: typeOf.get(span.entityId)! }));
    const baseline = baselineHtml(text, allSpans);
    const htmlBuffer = Buffer.from(baseline.html);
    staticServer = http.createServer((request, response) => {
      if (request.url !== "/baseline.html") return response.writeHead(404).end();
      response.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": htmlBuffer.length, "cache-control": "no-store" });
      response.end(htmlBuffer);
    });
    await new Promise<void>((resolve, reject) => staticServer!.once("error", reject).listen(0, "127.0.0.1", () => resolve()));
    const baselineUrl = `http://127.0.0.1:${(staticServer.address() as AddressInfo).port}/baseline.html`;

    browser = await chromium.launch({ executablePath: options.chromiumPath, args: options.chromiumArgs, headless: true });
    // bypassCSP: the probes wait with string predicates, which the app's Content-Security-Policy (no eval) refuses.
    const baselineContext = await browser.newContext({ bypassCSP: true });
    await baselineContext.addInitScript({ content: baselineProbe(baseline.marks) });
    const deadline = performance.now() + (options.pagesBudgetMs ?? 3 * 60_000);
    const baselineFigures = await measurePage("plain HTML", baselineContext, baselineUrl, "/baseline.html", { deadline, log });
    await baselineContext.close();

    const readerContext = await browser.newContext({ bypassCSP: true });
    const login = await readerContext.request.post(`${base}/api/auth/login`, { data: { email, password } });
    if (login.status() !== 200) throw new Error(`browser sign-in answered ${login.status()}`);
    const allSpansContained = countContained(allSpans);
    await readerContext.addInitScript({ content: spanlightProbe(allSpans) });
    const readerFigures = await measurePage("Spanlight", readerContext, `${base}/articles/${article.id}`, "/articles/", { deadline, log });
    await readerContext.close();

    // The review view: two more annotators tag the same spans (with differences), the owner reviews the article.
    const review = await measureReviewView({ base, api, articleId: article.id, projectId: project.id, plan, entityIds, browser, reviewerEmail: email, settle, deadline: performance.now() + 3 * 60_000, log });

    // The breakdown of the median run (the run whose painted time is the median).
    const medianRun = readerFigures.facts.length
      ? readerFigures.facts.reduce((best, run) => (Math.abs(run.paintedMs - readerFigures.paintedMs!) < Math.abs(best.paintedMs - readerFigures.paintedMs!) ? run : best))
      : undefined;
    const { facts: _baselineFacts, ...baselineRest } = baselineFigures;
    const { facts: _readerFacts, ...readerRest } = readerFigures;
    const paintRatio = readerFigures.paintedMs !== null && baselineFigures.paintedMs ? readerFigures.paintedMs / baselineFigures.paintedMs : null;
    const scrollRatio = readerFigures.scrollMs !== null && baselineFigures.scrollMs ? readerFigures.scrollMs / baselineFigures.scrollMs : null;

    const result: ReaderBenchResult = {
      database: options.databaseUrl ? "postgresql" : "embedded",
      textLength: text.length,
      paragraphs: text.split("\n").length,
      annotations: { seeded: plan.seeded.length, overlapping, addedForCreateTimings: plan.fresh.length, expectedInPage, containedInAnother: allSpansContained },
      seedArticleMs,
      seedAnnotationsMs,
      seedConcurrency,
      createOneMs: { p50: percentile(createTimes, 50), p95: percentile(createTimes, 95), max: Math.max(...createTimes), n: createTimes.length },
      annotationsListMs: { median: median(listTimes), bytes: listBytes },
      baseline: { ...baselineRest, markElements: baseline.marks, htmlBytes: htmlBuffer.length },
      spanlight: { ...readerRest, ...(medianRun ? { breakdown: medianRun } : {}) },
      paintRatio,
      scrollRatio,
      scrollStepsRatio: readerFigures.scrollStepsMs !== null && baselineFigures.scrollStepsMs ? readerFigures.scrollStepsMs / baselineFigures.scrollStepsMs : null,
      review: { ...review, paintRatio: review.page.paintedMs !== null && baselineFigures.paintedMs ? review.page.paintedMs / baselineFigures.paintedMs : null },
      rows: [],
    };
    result.rows = readerRows(result);
    log(`reader: done in ${seconds(performance.now() - began)}`);
    return result;
  } finally {
    await release();
  }
}

interface ReviewViewFigures {
  annotators: number;
  annotations: number;
  seedMs: number;
  reviewApiMs: { median: number; bytes: number };
  page: PageFigures;
}

/**
 * Two more annotators join and tag the article's seeded spans in their own layers (each leaves out every 20th and
 * links every 10th to another entity, so the review has disagreements), then the owner opens the review view:
 * GET /api/articles/:id/review timings, and navigation → the highlights of the drawn stretch painted (all three
 * layers), measured like the reader page.
 */
async function measureReviewView({
  base,
  api,
  articleId,
  projectId,
  plan,
  entityIds,
  browser,
  reviewerEmail,
  settle,
  deadline,
  log,
}: {
  base: string;
  api: Api;
  articleId: string;
  projectId: string;
  plan: ReturnType<typeof planSpans>;
  entityIds: string[];
  browser: Browser;
  reviewerEmail: string;
  /** Called once the layers are seeded (the database vacuums). */
  settle: () => Promise<void>;
  deadline: number;
  log: (message: string) => void;
}): Promise<ReviewViewFigures> {
  const seedStarted = performance.now();
  const allSpans: { start: number; end: number }[] = [...plan.seeded, ...plan.fresh];
  for (const name of ["Second", "Third"]) {
    const annotator = new Api(base);
    const annotatorEmail = `bench-${name.toLowerCase()}-${randomBytes(4).toString("hex")}@bench.spanlight`;
    await annotator.expect(201, "POST", "/api/auth/signup", { email: annotatorEmail, name: `${name} Annotator`, password });
    await api.expect(201, "POST", `/api/projects/${projectId}/members`, { email: annotatorEmail, role: "annotator" });
    const spans = plan.seeded
      .filter((_, index) => index % 20 !== (name === "Second" ? 3 : 11))
      .map((span, index) => ({ ...span, entityId: index % 10 === (name === "Second" ? 1 : 6) ? entityIds[(entityIds.indexOf(span.entityId) + 1) % entityIds.length]! : span.entityId }));
    const batches = Array.from({ length: Math.ceil(spans.length / seedBatchSize) }, (_, index) => spans.slice(index * seedBatchSize, (index + 1) * seedBatchSize));
    await inPool(batches, seedConcurrency, async (batch) => {
      await annotator.expect(201, "POST", `/api/articles/${articleId}/annotations`, { annotations: batch.map((span) => ({ kind: "entity", ...span })) });
    });
    allSpans.push(...spans);
  }
  const seedMs = performance.now() - seedStarted;
  log(`review: 2 more annotators seeded in ${seconds(seedMs)}; ${allSpans.length.toLocaleString("en")} annotations in all`);
  await settle();

  const apiTimes: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 3; i++) {
    const sent = performance.now();
    const answer = await api.call<unknown>("GET", `/api/articles/${articleId}/review`);
    if (answer.status !== 200) throw new Error(`GET review answered ${answer.status}`);
    apiTimes.push(performance.now() - sent);
    bytes = answer.bytes;
  }
  log(`review: GET /api/articles/:id/review ${ms(median(apiTimes))} (${(bytes / 1e6).toFixed(1)} MB)`);

  const context = await browser.newContext({ bypassCSP: true });
  const login = await context.request.post(`${base}/api/auth/login`, { data: { email: reviewerEmail, password } });
  if (login.status() !== 200) throw new Error(`browser sign-in answered ${login.status()}`);
  await context.addInitScript({ content: spanlightProbe(allSpans) });
  const { facts: _facts, ...page } = await measurePage("Spanlight review", context, `${base}/articles/${articleId}/review`, "/articles/", { deadline, log });
  await context.close();
  return { annotators: 3, annotations: allSpans.length, seedMs, reviewApiMs: { median: median(apiTimes), bytes }, page };
}

function pageFigure(figures: PageFigures, pick: "painted" | "scroll" | "steps"): string {
  const [value, runs] =
    pick === "painted" ? [figures.paintedMs, figures.paintedRuns] : pick === "scroll" ? [figures.scrollMs, figures.scrollRuns] : [figures.scrollStepsMs, figures.scrollStepsRuns];
  if (value === null) return figures.timedOutAfterMs ? `timed out after ${figures.timedOutAfterMs / 1000} s (${figures.note})` : "not measured";
  const notes = [`runs: ${runsOf(runs)}`, figures.timedOutAfterMs ? `then timed out after ${figures.timedOutAfterMs / 1000} s` : "", figures.note ?? ""];
  return `median ${ms(value)}  (${notes.filter(Boolean).join("; ")})`;
}

function reviewRows(result: ReaderBenchResult): [string, string, string?][] {
  const { review } = result;
  const ratio = review.paintRatio;
  return [
    [`review: ${review.annotators} annotators × ~10,000 spans`, `seeded in ${seconds(review.seedMs)}; ${review.annotations.toLocaleString("en")} annotations on the article`],
    [`review: GET /api/articles/:id/review`, `median ${ms(review.reviewApiMs.median)}, ${(review.reviewApiMs.bytes / 1e6).toFixed(1)} MB`],
    [`review: view, nav → highlights painted`, pageFigure(review.page, "painted")],
    [`review:   ratio review view / plain HTML`, ratio === null ? "n/a" : `${ratio.toFixed(2)}×`, `target ≤ 2×  ${ratio !== null && ratio <= 2 ? "ok" : "MISSED"}`],
  ];
}

function readerRows(result: ReaderBenchResult): [string, string, string?][] {
  const { annotations, createOneMs, baseline, spanlight } = result;
  const count = annotations.seeded.toLocaleString("en");
  const ratio = (value: number | null, target: number) =>
    value === null ? ["n/a", `target ≤ ${target}×  MISSED`] : [`${value.toFixed(2)}×`, `target ≤ ${target}×  ${value <= target ? "ok" : "MISSED"}`];
  const [paintRatio, paintTarget] = ratio(result.paintRatio, 1.5);
  const [scrollRatio] = ratio(result.scrollRatio, 1.5);
  const [stepsRatio] = ratio(result.scrollStepsRatio, 1.5);
  const rows: [string, string, string?][] = [
    [
      `reader: seed ${(result.textLength / 1e6).toFixed(1)}M chars, ${count} annotations`,
      `article ${ms(result.seedArticleMs)}, annotations ${seconds(result.seedAnnotationsMs)} (${Math.round(annotations.seeded / (result.seedAnnotationsMs / 1000))}/s, batches of ${seedBatchSize}, ${result.seedConcurrency} in flight, ${result.database} DB)`,
    ],
    [
      `reader: create 1 annotation (${count} there)`,
      `p50 ${ms(createOneMs.p50)}, p95 ${ms(createOneMs.p95)}, max ${ms(createOneMs.max)}  (n=${createOneMs.n})`,
      `target p95 < 50 ms  ${createOneMs.p95 < 50 ? "ok" : "MISSED"}`,
    ],
    [
      `reader: GET annotations (${annotations.expectedInPage.toLocaleString("en")}, layer=mine)`,
      `median ${ms(result.annotationsListMs.median)}, ${(result.annotationsListMs.bytes / 1e6).toFixed(1)} MB of JSON`,
    ],
    [`reader: plain HTML+<mark>, nav → marks painted`, pageFigure(baseline, "painted")],
    [`reader: Spanlight, nav → highlights painted`, pageFigure(spanlight, "painted")],
    [`reader:   ratio Spanlight / plain HTML`, paintRatio!, paintTarget],
    ...reviewRows(result),
    [`reader: scroll to end (one jump), plain HTML`, pageFigure(baseline, "scroll")],
    [`reader: scroll to end (one jump), Spanlight`, pageFigure(spanlight, "scroll")],
    [`reader:   ratio Spanlight / plain HTML`, scrollRatio!],
    [`reader: scroll to end in ${scrollSteps} steps, plain HTML`, pageFigure(baseline, "steps")],
    [`reader: scroll to end in ${scrollSteps} steps, Spanlight`, pageFigure(spanlight, "steps")],
    [`reader:   ratio Spanlight / plain HTML`, stepsRatio!],
  ];
  const breakdown = spanlight.breakdown;
  if (breakdown) {
    const fetch = breakdown.annotationsFetch;
    rows.push([
      `reader: Spanlight median run (page time)`,
      [
        `HTML ${ms(breakdown.htmlResponseEndMs)}`,
        `DCL ${ms(breakdown.domContentLoadedMs)}`,
        fetch ? `annotations ${ms(fetch.startMs)}→${ms(fetch.endMs)} (${(fetch.bytes / 1e6).toFixed(1)} MB)` : "",
        breakdown.editorTextShownMs !== null ? `text shown ${ms(breakdown.editorTextShownMs)}` : "",
        `highlights in DOM ${ms(breakdown.highlightsInDomMs)}`,
      ]
        .filter(Boolean)
        .join(", "),
    ]);
    const drawn = breakdown.drawn;
    rows.push([
      `reader: Spanlight highlights drawn at load`,
      drawn && (drawn.from > 0 || drawn.to < result.textLength)
        ? `${breakdown.distinctIds?.toLocaleString("en")} of the ${breakdown.expectedIds?.toLocaleString("en")} annotations in characters ${drawn.from.toLocaleString("en")}–${drawn.to.toLocaleString("en")} (viewport ± a few screens; ${annotations.expectedInPage.toLocaleString("en")} in the article), ${breakdown.highlightElements.toLocaleString("en")} elements`
        : `${breakdown.distinctIds?.toLocaleString("en")} of all ${annotations.expectedInPage.toLocaleString("en")} annotations, ${breakdown.highlightElements.toLocaleString("en")} elements`,
    ]);
    rows.push([
      `reader: Spanlight main thread`,
      `${breakdown.longTasks.count} long tasks, ${ms(breakdown.longTasks.totalMs)} in all, longest ${ms(breakdown.longTasks.longestMs)}; ${breakdown.domElements.toLocaleString("en")} elements`,
    ]);
  }
  return rows;
}
