/*
 * spaCy/Prodigy-style JSON Lines, one record per article (and layer, for `layer=all`):
 * `{text, tokens: [{text, start, end, id, ws}], spans: [{start, end, token_start, token_end, label, kb_id}], meta}`.
 * Offsets in Unicode code points (Python's `text[start:end]`). `token_end` is INCLUSIVE (Prodigy's convention: the
 * index of the last token the span touches); `ws` is true when whitespace follows the token. Every entity mention
 * is a span, nested and overlapping ones included (as spaCy's `doc.spans`; for `doc.ents` resolve overlaps first).
 * `kb_id` is the canonical entity's id. Stances are not in this format (see jsonl, brat, stance-csv).
 */
import { jsonStringCache, jsonStringOrNull } from "./json";
import { mentionLabel } from "./iob";
import type { ExportArticle, ExportContext } from "./model";
import { prepareArticle, type PreparedArticle } from "./prepared";

/** JavaScript's `\s` (what the tokenizer calls whitespace) for one UTF-16 code unit. */
function isWhitespace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}

/**
 * One JSON line per layer group. The record is assembled by hand (the same text as JSON.stringify of
 * `{text, tokens, spans, meta}`): `text` and `tokens` are written once per article and shared by its groups.
 */
export function spacyArticle(article: ExportArticle, ctx: ExportContext, prepared: PreparedArticle = prepareArticle(article, ctx)): string {
  if (!prepared.groups.length) return "";
  const { text } = article;
  const { analysis, toCodePoint: cp } = prepared;
  const { starts, ends } = analysis;
  const count = starts.length;
  const tokenJson = prepared.tokenJson;
  let head = `{"text":${prepared.textJson},"tokens":[`;
  for (let id = 0; id < count; id++) {
    const end = ends[id]!;
    const ws = end < text.length && isWhitespace(text.charCodeAt(end));
    head += `${id ? "," : ""}{"text":${tokenJson[id]},"start":${cp(starts[id]!)},"end":${cp(end)},"id":${id},"ws":${ws}}`;
  }
  head += `],"spans":[`;
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
  const label = jsonStringCache();
  let out = "";
  for (const group of prepared.groups) {
    let spans = "";
    for (const a of group.annotations) {
      if (a.kind !== "entity") continue;
      spans += `${spans ? "," : ""}{"start":${cp(a.start)},"end":${cp(a.end)},"token_start":${firstToken(a.start)},"token_end":${lastToken(a.end)},"label":${label(mentionLabel(a))},"kb_id":${jsonStringOrNull(a.entity?.id ?? null)}}`;
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
    out += `${head}${spans}],"meta":${JSON.stringify(meta)}}\n`;
  }
  return out;
}
