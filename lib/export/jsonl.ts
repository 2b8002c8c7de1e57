/*
 * Native, lossless JSON Lines: a header record, then one record per article version. Offsets in code points
 * (`start`, `end`: Python's `text[start:end]`) and in UTF-16 code units (`start_utf16`, `end_utf16`: JavaScript's
 * `text.slice`). See docs/export-formats.md.
 */
import { createCodePointMapper } from "./code-points";
import { layerName, type ExportArticle, type ExportContext } from "./model";

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

/** One article's line. */
export function jsonlArticle(article: ExportArticle): string {
  const toCodePoint = createCodePointMapper(article.text);
  const record = {
    type: "article",
    id: article.id,
    title: article.title,
    source: article.source,
    version: article.version,
    text: article.text,
    text_sha256: article.textSha256,
    annotations: article.annotations.map((a) => ({
      id: a.id,
      layer: a.layer,
      annotator: a.annotator,
      kind: a.kind,
      start: toCodePoint(a.start),
      end: toCodePoint(a.end),
      start_utf16: a.start,
      end_utf16: a.end,
      quote: a.quote,
      entity_type: a.entityType,
      entity: a.entity,
      stance: a.stance,
      derived_from: a.derivedFromIds,
      created_at: a.createdAt,
      updated_at: a.updatedAt,
    })),
  };
  return `${JSON.stringify(record)}\n`;
}
