/*
 * The bundle's README.md: a dataset card with counts per type and polarity, the annotators, offset units,
 * tokenization, the files, and a licence field left for the owner. Counts are gathered during the bundle's first
 * pass over the articles (`updateDatasetStats`), so the card is written last.
 */
import { iobLabelNames } from "./iob";
import { layerName, type ExportArticle, type ExportContext } from "./model";
import { prepareArticle, type PreparedArticle } from "./prepared";

export interface DatasetStats {
  articles: number;
  characters: number;
  mentionsByType: Map<string, number>;
  stancesByPolarity: Map<string, number>;
  /** layer name ("gold" or annotator id) → who and how much */
  layers: Map<string, { name: string; articles: number; mentions: number; stances: number }>;
}

export function createDatasetStats(): DatasetStats {
  return { articles: 0, characters: 0, mentionsByType: new Map(), stancesByPolarity: new Map(), layers: new Map() };
}

const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

export function updateDatasetStats(stats: DatasetStats, article: ExportArticle, ctx: ExportContext, prepared: PreparedArticle = prepareArticle(article, ctx)): void {
  stats.articles++;
  stats.characters += prepared.toCodePoint(article.text.length);
  for (const group of prepared.groups) {
    const key = group.layer === "gold" ? "gold" : group.annotator!.id;
    let layer = stats.layers.get(key);
    if (!layer) stats.layers.set(key, (layer = { name: group.annotator?.name ?? "gold (reviewed)", articles: 0, mentions: 0, stances: 0 }));
    if (group.annotations.length) layer.articles++;
    for (const a of group.annotations) {
      if (a.kind === "entity") {
        layer.mentions++;
        bump(stats.mentionsByType, a.entityType ?? a.entity?.type ?? "MISC");
      } else if (a.stance) {
        layer.stances++;
        bump(stats.stancesByPolarity, a.stance.polarity);
      }
    }
  }
}

const cell = (value: string) => value.replace(/\|/g, "\\|").replace(/\s+/g, " ");

export function datasetCard(ctx: ExportContext, stats: DatasetStats): string {
  const typeNames = ctx.entityTypes.map((type) => type.name);
  const labelNames = iobLabelNames(typeNames);
  const lines = [
    "---",
    "license: # to be filled in by the project owner",
    "task_categories:",
    "  - token-classification",
    "pretty_name: " + JSON.stringify(ctx.project.name),
    "---",
    "",
    `# ${ctx.project.name}`,
    "",
    `Exported from Spanlight on ${ctx.exportedAt}: layer \`${layerName(ctx.layer)}\`${ctx.layer.kind === "user" ? ` (${ctx.layer.user.name})` : ""}` +
      `${ctx.filters.articleIds ? `, ${ctx.filters.articleIds.length} chosen articles` : ""}${ctx.filters.types ? `, entity types ${ctx.filters.types.join(", ")}` : ""}.`,
    "",
    "**Licence:** _to be filled in by the project owner._",
    "",
    "## Contents",
    "",
    `${stats.articles} articles, ${stats.characters} characters (code points).`,
    "",
    "| entity type | mentions |",
    "|---|---|",
    ...[...new Set([...typeNames, ...stats.mentionsByType.keys()])].map((type) => `| ${cell(type)} | ${stats.mentionsByType.get(type) ?? 0} |`),
    "",
    "| stance polarity | stances |",
    "|---|---|",
    ...[...new Set([...ctx.polarities, ...stats.stancesByPolarity.keys()])].map((polarity) => `| ${cell(polarity)} | ${stats.stancesByPolarity.get(polarity) ?? 0} |`),
    "",
    "| layer | annotator | articles annotated | mentions | stances |",
    "|---|---|---|---|---|",
    ...[...stats.layers.entries()].map(([key, layer]) => `| ${cell(key)} | ${cell(layer.name)} | ${layer.articles} | ${layer.mentions} | ${layer.stances} |`),
    "",
    "Agreement figures between annotators: see the project's agreement page or `GET /api/projects/:id/agreement`",
    "(tokens as in `conll/`).",
    "",
    "## Files",
    "",
    "- `spanlight.jsonl`: native and lossless; a header line, then one line per article with its text, SHA-256 and annotations.",
    "- `brat/`: brat standoff collection (`annotation.conf`, `visual.conf`, `<title>-<id>.txt` / `.ann`).",
    "- `conll/dataset.conll`: CoNLL-2003 style `token -X- _ IOB2-tag`, `-DOCSTART-` per article, blank line between sentences.",
    "- `spacy/dataset.jsonl`: spaCy/Prodigy style, `token_end` inclusive, `kb_id` the canonical entity id.",
    "- `hf/dataset.jsonl`: Hugging Face token classification, one sentence per line, `ner_tags` as strings.",
    "- `stances.csv`: one row per stance (RFC 4180, UTF-8 without BOM).",
    "",
    "## Offsets",
    "",
    "All `start`/`end` offsets are **Unicode code points** (Python `text[start:end]`); the native JSONL also gives",
    "`start_utf16`/`end_utf16` in UTF-16 code units (JavaScript `text.slice`). Spans are half-open. Texts are exactly",
    "the stored canonical texts (`\\n` line breaks, no Unicode normalization).",
    "",
    "## Tokenization",
    "",
    "Spanlight's own rule-based tokenizer (whitespace-separated, grapheme clusters never split, words with inner",
    "apostrophes/hyphens/periods kept whole, Han/Hiragana/Katakana one token per character) and sentence splitter",
    "(line breaks, terminal punctuation before an uppercase letter, CJK terminators). A token is tagged with the",
    "longest entity mention overlapping it; nested mentions that lose are not in the token-based files.",
    "",
    "## Label names (Hugging Face `ClassLabel`)",
    "",
    "```json",
    JSON.stringify(labelNames),
    "```",
    "",
  ];
  return lines.join("\n");
}
