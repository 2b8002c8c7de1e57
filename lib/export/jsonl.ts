/*
 * Native, lossless JSON Lines: a header record, then one record per article version. Offsets in code points
 * (`start`, `end`: Python's `text[start:end]`) and in UTF-16 code units (`start_utf16`, `end_utf16`: JavaScript's
 * `text.slice`). See docs/export-formats.md.
 */
import { createCodePointMapper } from "./code-points";
import { layerName, type ExportArticle, type ExportContext } from "./model";
import { jsonString, jsonStringOrNull } from "./json";
import type { PreparedArticle } from "./prepared";

export const jsonlSchemaVersion = 1;

/** The first line of a jsonl export. */
export function jsonlHeader(ctx: ExportContext): string {
  const header = {
    type: "header",
    schema: "spanlight.dataset",
    schemaVersion: jsonlSchemaVersion,
    offsets: { start_end: "unicode code points", start_utf16_end_utf16: "UTF-16 code units" },
    project: { id: ctx.project.id, name: ctx.project.name },
    layer: layerName(ctx.layer),
    layerAnnotator: ctx.layer.kind === "user" ? ctx.layer.user : null,
    exportedAt: ctx.exportedAt,
    entityTypes: ctx.entityTypes.map((type) => type.name),
    polarities: ctx.polarities,
    filters: ctx.filters,
  };
  return `${JSON.stringify(header)}\n`;
}

/** JSON of objects shared by many annotations (an entity, an annotator), made once per object. */
const sharedJson = new WeakMap<object, string>();

function objectJson(value: object | null): string {
  if (value === null) return "null";
  let json = sharedJson.get(value);
  if (json === undefined) sharedJson.set(value, (json = JSON.stringify(value)));
  return json;
}

/**
 * One article's line: the same text as JSON.stringify of `{type: "article", id, title, source, version, text,
 * text_sha256, annotations: [{id, layer, annotator, kind, start, end, start_utf16, end_utf16, quote, entity_type,
 * entity, stance, derived_from, created_at, updated_at}]}`, assembled by hand (entities and annotators, shared by
 * many annotations, are written once each). The model's objects are not changed while an export runs.
 */
export function jsonlArticle(article: ExportArticle, prepared?: PreparedArticle): string {
  const toCodePoint = prepared?.toCodePoint ?? createCodePointMapper(article.text);
  let out = `{"type":"article","id":${jsonString(article.id)},"title":${JSON.stringify(article.title)},"source":${article.source === null ? "null" : JSON.stringify(article.source)},"version":${JSON.stringify(article.version)},"text":${prepared ? prepared.textJson : JSON.stringify(article.text)},"text_sha256":${jsonString(article.textSha256)},"annotations":[`;
  for (let i = 0; i < article.annotations.length; i++) {
    const a = article.annotations[i]!;
    out +=
      `${i ? "," : ""}{"id":${jsonString(a.id)},"layer":${jsonString(a.layer)},"annotator":${objectJson(a.annotator)},"kind":${jsonString(a.kind)},` +
      `"start":${toCodePoint(a.start)},"end":${toCodePoint(a.end)},"start_utf16":${a.start},"end_utf16":${a.end},"quote":${JSON.stringify(a.quote)},` +
      `"entity_type":${jsonStringOrNull(a.entityType)},"entity":${objectJson(a.entity)},"stance":${a.stance === null ? "null" : JSON.stringify(a.stance)},` +
      `"derived_from":${a.derivedFromIds.length ? JSON.stringify(a.derivedFromIds) : "[]"},"created_at":${jsonString(a.createdAt)},"updated_at":${jsonString(a.updatedAt)}}`;
  }
  return `${out}]}\n`;
}
