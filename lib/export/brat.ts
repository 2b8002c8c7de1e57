/*
 * brat standoff (https://brat.nlplab.org/standoff.html): per article `<stem>.txt` (the exact canonical text) and
 * `<stem>.ann`, offsets in Unicode code points, which is what brat (Python) counts.
 * - `T` entity mentions `T1\tPER 10 24\tVladimir Putin`. A span across a line break (or a tab) becomes brat's
 *   discontinuous `start end;start end`, one fragment per line, the quote on the line being the fragments joined
 *   by one space (brat checks it against the text that way).
 * - `N` normalizations `N1\tReference T1 Registry:<entityId>\t<entity name>`.
 * - Stances: a `T` trigger of type `Stance` over the evidence, an event `E1\tStance:T5 Holder:T1 Target:T2`
 *   whose holder/target are the mention of that entity nearest the evidence in the same layer, and `A1\tPolarity
 *   E1 AGAINST`. When the entity has no mention in the article the argument is left out and an AnnotatorNotes
 *   line `#1\tAnnotatorNotes E1\tHolder: <name> (Registry:<id>)` names it.
 * `annotation.conf` and `visual.conf` at the root of the zip make the collection open in brat.
 */
import { createCodePointMapper, type CodePointMapper } from "./code-points";
import { articleFileStem, layerFolder, type ExportAnnotation, type ExportArticle, type ExportContext } from "./model";
import { prepareArticle, type PreparedArticle } from "./prepared";

export interface ExportFile {
  path: string;
  content: string;
}

/** brat type and attribute names are tokens without spaces: anything else becomes "_". */
export function bratName(value: string): string {
  return value.replace(/[^\p{L}\p{N}_\-.]/gu, "_") || "_";
}

/** Text on a tab-separated .ann line: no tab or line break may appear in it. */
function oneLine(value: string): string {
  return value.replace(/[\t\n\r\u0085\u2028\u2029]+/g, " ");
}

/** A tab or a line break (what oneLine replaces), by UTF-16 code unit. */
function isBreak(code: number): boolean {
  return code === 0x09 || code === 0x0a || code === 0x0d || code === 0x85 || code === 0x2028 || code === 0x2029;
}

/** The fragments of [start, end) (UTF-16) between line breaks and tabs, as code point offsets, and the quote brat expects. */
export function bratFragments(text: string, start: number, end: number, toCodePoint: CodePointMapper): { offsets: string; quote: string } {
  let first = start;
  while (first < end && !isBreak(text.charCodeAt(first))) first++;
  if (first === end) return { offsets: `${toCodePoint(start)} ${toCodePoint(end)}`, quote: text.slice(start, end) }; // one line: most spans
  const fragments: [number, number][] = [];
  let from = start;
  for (let i = first; i <= end; i++) {
    if (i === end || isBreak(text.charCodeAt(i))) {
      if (i > from) fragments.push([from, i]);
      from = i + 1;
    }
  }
  if (!fragments.length) fragments.push([start, end]); // a span of breaks only: kept whole (cannot happen for trimmed selections)
  return {
    offsets: fragments.map(([s, e]) => `${toCodePoint(s)} ${toCodePoint(e)}`).join(";"),
    quote: oneLine(fragments.map(([s, e]) => text.slice(s, e)).join(" ")),
  };
}

/** annotation.conf: the project's entity types, the Stance event with its arguments and the Polarity attribute. */
export function bratAnnotationConf(ctx: ExportContext): string {
  return [
    "# Spanlight export. Offsets in the .ann files are Unicode code points.",
    "[entities]",
    ...ctx.entityTypes.map((type) => bratName(type.name)),
    "",
    "[relations]",
    "# overlapping and nested spans are allowed",
    "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",
    "",
    "[events]",
    "Stance\tHolder?:<ENTITY>, Target?:<ENTITY>",
    "",
    "[attributes]",
    `Polarity\tArg:Stance, Value:${ctx.polarities.map(bratName).join("|")}`,
    "",
  ].join("\n");
}

/** visual.conf: labels and the project's colours. */
export function bratVisualConf(ctx: ExportContext): string {
  return [
    "[labels]",
    ...ctx.entityTypes.map((type) => bratName(type.name)),
    "Stance",
    "Holder",
    "Target",
    "",
    "[drawing]",
    ...ctx.entityTypes.map((type) => `${bratName(type.name)}\tbgColor:${type.color}`),
    "Stance\tbgColor:#fff59d",
    "",
  ].join("\n");
}

/** The .ann text of one layer of one article. */
export function bratAnn(text: string, annotations: readonly ExportAnnotation[], toCodePoint: CodePointMapper = createCodePointMapper(text)): string {
  const lines: string[] = [];
  let t = 0;
  let n = 0;
  let e = 0;
  let a = 0;
  let notes = 0;
  const mentionsByEntity = new Map<string, { id: string; start: number; end: number }[]>();
  for (const annotation of annotations) {
    if (annotation.kind !== "entity") continue;
    const id = `T${++t}`;
    const { offsets, quote } = bratFragments(text, annotation.start, annotation.end, toCodePoint);
    lines.push(`${id}\t${bratName(annotation.entityType ?? annotation.entity?.type ?? "MISC")} ${offsets}\t${quote}`);
    if (annotation.entity) {
      lines.push(`N${++n}\tReference ${id} Registry:${annotation.entity.id}\t${oneLine(annotation.entity.name)}`);
      let list = mentionsByEntity.get(annotation.entity.id);
      if (!list) mentionsByEntity.set(annotation.entity.id, (list = []));
      list.push({ id, start: annotation.start, end: annotation.end });
    }
  }
  /** The mention of `entityId` nearest [start, end): smallest gap between the ranges, then the earliest. */
  const nearest = (entityId: string, start: number, end: number): string | null => {
    let best: string | null = null;
    let bestGap = Infinity;
    for (const mention of mentionsByEntity.get(entityId) ?? []) {
      const gap = mention.end <= start ? start - mention.end : mention.start >= end ? mention.start - end : 0;
      if (gap < bestGap) [best, bestGap] = [mention.id, gap];
    }
    return best;
  };
  for (const annotation of annotations) {
    if (annotation.kind !== "stance" || !annotation.stance) continue;
    const trigger = `T${++t}`;
    const { offsets, quote } = bratFragments(text, annotation.start, annotation.end, toCodePoint);
    lines.push(`${trigger}\tStance ${offsets}\t${quote}`);
    const event = `E${++e}`;
    const { holder, target, polarity } = annotation.stance;
    const holderT = nearest(holder.id, annotation.start, annotation.end);
    const targetT = nearest(target.id, annotation.start, annotation.end);
    lines.push(`${event}\tStance:${trigger}${holderT ? ` Holder:${holderT}` : ""}${targetT ? ` Target:${targetT}` : ""}`);
    lines.push(`A${++a}\tPolarity ${event} ${bratName(polarity)}`);
    const missing: string[] = [];
    if (!holderT) missing.push(`Holder: ${oneLine(holder.name)} (Registry:${holder.id})`);
    if (!targetT) missing.push(`Target: ${oneLine(target.name)} (Registry:${target.id})`);
    if (missing.length) lines.push(`#${++notes}\tAnnotatorNotes ${event}\t${missing.join("; ")}`);
  }
  return lines.length ? `${lines.join("\n")}\n` : "";
}

/** The files at the root of the zip, before any article. */
export function bratPreamble(ctx: ExportContext): ExportFile[] {
  return [
    { path: "annotation.conf", content: bratAnnotationConf(ctx) },
    { path: "visual.conf", content: bratVisualConf(ctx) },
  ];
}

/** One article's files: `<stem>.txt` and `<stem>.ann`, in `<layer folder>/` for `layer=all`. */
export function bratArticleFiles(article: ExportArticle, ctx: ExportContext, prefix = "", prepared: PreparedArticle = prepareArticle(article, ctx)): ExportFile[] {
  const stem = articleFileStem(article);
  const files: ExportFile[] = [];
  for (const group of prepared.groups) {
    const folder = ctx.layer.kind === "all" ? `${prefix}${layerFolder(group)}/` : prefix;
    files.push({ path: `${folder}${stem}.txt`, content: article.text }, { path: `${folder}${stem}.ann`, content: bratAnn(article.text, group.annotations, prepared.toCodePoint) });
  }
  return files;
}
