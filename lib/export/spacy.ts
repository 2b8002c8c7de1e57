/*
 * spaCy/Prodigy-style JSON Lines, one record per article (and layer, for `layer=all`):
 * `{text, tokens: [{text, start, end, id, ws}], spans: [{start, end, token_start, token_end, label, kb_id}], meta}`.
 * Offsets in Unicode code points (Python's `text[start:end]`). `token_end` is INCLUSIVE (Prodigy's convention: the
 * index of the last token the span touches); `ws` is true when whitespace follows the token. Every entity mention
 * is a span, nested and overlapping ones included (as spaCy's `doc.spans`; for `doc.ents` resolve overlaps first).
 * `kb_id` is the canonical entity's id. Stances are not in this format (see jsonl, brat, stance-csv).
 */
import { createCodePointMapper } from "./code-points";
import { analyzeText, mentionLabel, type TextAnalysis } from "./iob";
import { layerGroups, type ExportArticle, type ExportContext } from "./model";

const WHITESPACE = /\s/;

export function spacyArticle(article: ExportArticle, ctx: ExportContext, analysis: TextAnalysis = analyzeText(article.text)): string {
  const { text } = article;
  const cp = createCodePointMapper(text);
  const { starts, ends } = analysis;
  const count = analysis.tokens.length;
  const tokens = analysis.tokens.map((token, id) => ({
    text: text.slice(token.start, token.end),
    start: cp(token.start),
    end: cp(token.end),
    id,
    ws: token.end < text.length && WHITESPACE.test(text[token.end]!),
  }));
  /** First token ending after `start`. */
  const firstToken = (start: number) => {
    let lo = 0;
    let hi = count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ends[mid]! <= start) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  /** Last token starting before `end`. */
  const lastToken = (end: number) => {
    let lo = 0;
    let hi = count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! < end) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  };
  let out = "";
  for (const group of layerGroups(article, ctx.layer)) {
    const spans = [];
    for (const a of group.annotations) {
      if (a.kind !== "entity") continue;
      spans.push({ start: cp(a.start), end: cp(a.end), token_start: firstToken(a.start), token_end: lastToken(a.end), label: mentionLabel(a), kb_id: a.entity?.id ?? null });
    }
    const meta = {
      id: article.id,
      title: article.title,
      source: article.source,
      version: article.version,
      text_sha256: article.textSha256,
      layer: group.layer === "gold" ? "gold" : group.annotator!.id,
      annotator: group.annotator?.name ?? null,
    };
    out += `${JSON.stringify({ text, tokens, spans, meta })}\n`;
  }
  return out;
}
