/*
 * Stances as CSV, SemEval-2016-Task-6-like: one row per stance, RFC 4180 (fields quoted when they hold a comma,
 * a double quote or a line break; quotes doubled; CRLF between records), UTF-8 without a byte-order mark.
 * `evidence` is the stance's quote; `sentence` the text of the sentence(s) it lies in (lib/text/tokenize.ts);
 * `start`/`end` in code points, `start_utf16`/`end_utf16` in UTF-16 code units, over the article text.
 * Cells are written as they are: no spreadsheet formula escaping (it would change the data).
 */
import { stringify } from "csv-stringify/sync";
import type { TextAnalysis } from "./iob";
import type { ExportArticle, ExportContext } from "./model";
import { prepareArticle, type PreparedArticle } from "./prepared";

export const stanceCsvColumns = [
  "article_id",
  "article_title",
  "holder",
  "holder_id",
  "target",
  "target_id",
  "polarity",
  "evidence",
  "sentence",
  "start",
  "end",
  "start_utf16",
  "end_utf16",
  "annotator",
  "layer",
] as const;

/** csv-stringify, CRLF between records; fields with line breaks of any kind quoted (some readers split on U+2028). */
const csvOptions = { record_delimiter: "windows", quoted_match: /[\r\n\u2028\u2029\u0085]/ } as const;

export function stanceCsvHeader(): string {
  return stringify([[...stanceCsvColumns]], csvOptions);
}

/** The text of the sentences [start, end) touches (the span itself when it lies between sentences). */
function sentenceAround(text: string, analysis: TextAnalysis, start: number, end: number): string {
  const { sentences } = analysis;
  let lo = 0;
  let hi = sentences.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sentences[mid]!.end <= start) lo = mid + 1;
    else hi = mid;
  }
  let from = start;
  let to = end;
  for (let s = lo; s < sentences.length && sentences[s]!.start < end; s++) {
    from = Math.min(from, sentences[s]!.start);
    to = Math.max(to, sentences[s]!.end);
  }
  return text.slice(from, to);
}

/** The rows of one article's stances, or "" when it has none (the text is not even tokenized then). */
export function stanceCsvArticle(article: ExportArticle, ctx: ExportContext, prepared?: PreparedArticle): string {
  if (!article.annotations.some((a) => a.kind === "stance")) return "";
  const text = article.text;
  const work = prepared ?? prepareArticle(article, ctx);
  const { analysis: tokens, toCodePoint: cp } = work;
  const rows: string[][] = [];
  for (const group of work.groups) {
    for (const a of group.annotations) {
      if (a.kind !== "stance" || !a.stance) continue;
      rows.push([
        article.id,
        article.title,
        a.stance.holder.name,
        a.stance.holder.id,
        a.stance.target.name,
        a.stance.target.id,
        a.stance.polarity,
        a.quote,
        sentenceAround(text, tokens, a.start, a.end),
        String(cp(a.start)),
        String(cp(a.end)),
        String(a.start),
        String(a.end),
        group.annotator?.name ?? "",
        group.layer === "gold" ? "gold" : group.annotator!.id,
      ]);
    }
  }
  // One call per article: csv-stringify's cost is mostly per call.
  return rows.length ? stringify(rows, csvOptions) : "";
}
