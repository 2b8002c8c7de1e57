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

/** Records are handed out in pieces joined from at most this many tokens or spans. */
const piecesOf = 256;

/** `items` joined with commas, in pieces of `piecesOf` items: "a,b", ",c,d", … */
function commaPieces(items: string[]): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < items.length; at += piecesOf) pieces.push(`${at ? "," : ""}${items.slice(at, at + piecesOf).join(",")}`);
  return pieces;
}

/**
 * One JSON line per layer group, in pieces to be written one after the other. The record is assembled by hand (the
 * same text as JSON.stringify of `{text, tokens, spans, meta}`): `text` and `tokens` are made once per article and
 * shared by its groups. Pieces, not one string: V8 puts a string over ~128 KiB in its large-object space, on fresh
 * memory pages each time, and writing a whole article's record (often that big) costs more than formatting it.
 */
export function spacyArticle(article: ExportArticle, ctx: ExportContext, prepared: PreparedArticle = prepareArticle(article, ctx)): string[] {
  if (!prepared.groups.length) return [];
  const { text } = article;
  const { analysis, toCodePoint: cp } = prepared;
  const { starts, ends } = analysis;
  const count = starts.length;
  const tokenJson = prepared.tokenJson;
  const tokens: string[] = new Array(count);
  for (let id = 0; id < count; id++) {
    const end = ends[id]!;
    const ws = end < text.length && isWhitespace(text.charCodeAt(end));
    tokens[id] = `{"text":${tokenJson[id]},"start":${cp(starts[id]!)},"end":${cp(end)},"id":${id},"ws":${ws}}`;
  }
  const head = ['{"text":', prepared.textJson, ',"tokens":[', ...commaPieces(tokens), '],"spans":['];
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
  const pieces: string[] = [];
  for (const group of prepared.groups) {
    const spans: string[] = [];
    for (const a of group.annotations) {
      if (a.kind !== "entity") continue;
      spans.push(`{"start":${cp(a.start)},"end":${cp(a.end)},"token_start":${firstToken(a.start)},"token_end":${lastToken(a.end)},"label":${label(mentionLabel(a))},"kb_id":${jsonStringOrNull(a.entity?.id ?? null)}}`);
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
    pieces.push(...head, ...commaPieces(spans), `],"meta":${JSON.stringify(meta)}}\n`);
  }
  return pieces;
}
