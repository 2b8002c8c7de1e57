/*
 * The neutral in-memory model every export format is written from. The server (lib/server/export) fills it article
 * by article; the formatters here are pure and never see the database. Offsets in this model are UTF-16 code
 * units (JavaScript string indices), as everywhere in Spanlight; each formatter converts to what its tool expects.
 */

export const exportFormats = ["jsonl", "brat", "conll", "spacy", "hf", "stance-csv", "bundle"] as const;
export type ExportFormat = (typeof exportFormats)[number];

export interface ExportEntity {
  id: string;
  name: string;
  type: string;
  aliases: string[];
}

export interface ExportAnnotation {
  id: string;
  layer: "user" | "gold";
  /** null in the gold layer */
  annotator: { id: string; name: string } | null;
  kind: "entity" | "stance";
  /** half-open, UTF-16 code units */
  start: number;
  end: number;
  quote: string;
  /** entity mentions: the entity linked */
  entity: ExportEntity | null;
  /** the mention's own label (may differ from the linked entity's type); null for stances */
  entityType: string | null;
  stance: { holder: { id: string; name: string }; target: { id: string; name: string }; polarity: string } | null;
  /** gold items: the annotator annotations they were settled from */
  derivedFromIds: string[];
  createdAt: string;
  updatedAt: string;
}

export interface ExportArticle {
  id: string;
  title: string;
  source: string | null;
  text: string;
  textSha256: string;
  version: number;
  /** sorted by start, then end */
  annotations: ExportAnnotation[];
}

/** Which layer(s) an export holds. */
export type ExportLayer = { kind: "gold" } | { kind: "all" } | { kind: "user"; user: { id: string; name: string } };

export interface ExportContext {
  project: { id: string; name: string };
  layer: ExportLayer;
  exportedAt: string;
  /** the project's entity types in their order, with their colours (#rrggbb) */
  entityTypes: { name: string; color: string }[];
  polarities: string[];
  filters: { articleIds: string[] | null; types: string[] | null };
}

/** The name of a layer as the exports write it: "gold", or the annotator's id for a user layer. */
export function layerName(layer: ExportLayer): string {
  return layer.kind === "user" ? layer.user.id : layer.kind;
}

/** The annotations of one article in one layer: the gold layer, or one annotator's. */
export interface LayerGroup {
  layer: "gold" | "user";
  annotator: { id: string; name: string } | null;
  annotations: ExportAnnotation[];
}

/**
 * The layers to write for an article. One layer (gold or an annotator): always that one, even when empty, so every
 * selected article appears. `all`: the gold layer, then each annotator by name, each only when it holds an
 * annotation on this article.
 */
export function layerGroups(article: ExportArticle, layer: ExportLayer): LayerGroup[] {
  if (layer.kind === "gold") return [{ layer: "gold", annotator: null, annotations: article.annotations }];
  if (layer.kind === "user") return [{ layer: "user", annotator: layer.user, annotations: article.annotations }];
  const gold: ExportAnnotation[] = [];
  const byUser = new Map<string, LayerGroup>();
  for (const annotation of article.annotations) {
    if (annotation.layer === "gold" || !annotation.annotator) {
      gold.push(annotation);
      continue;
    }
    let group = byUser.get(annotation.annotator.id);
    if (!group) byUser.set(annotation.annotator.id, (group = { layer: "user", annotator: annotation.annotator, annotations: [] }));
    group.annotations.push(annotation);
  }
  const users = [...byUser.values()].sort((a, b) => (a.annotator!.name < b.annotator!.name ? -1 : a.annotator!.name > b.annotator!.name ? 1 : a.annotator!.id < b.annotator!.id ? -1 : 1));
  return gold.length ? [{ layer: "gold", annotator: null, annotations: gold }, ...users] : users;
}

/** A lower-case ASCII slug for file names: letters and digits, words joined by "-", at most 40 characters. */
export function slugify(value: string): string {
  const slug = value
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return slug || "untitled";
}

/** An article's file name stem in zip exports: a safe slug of its title, then its id (unique). */
export function articleFileStem(article: { id: string; title: string }): string {
  return `${slugify(article.title)}-${article.id}`;
}

/** The folder of a layer in a `layer=all` zip: "gold", or the annotator's slug and id. */
export function layerFolder(group: Pick<LayerGroup, "layer" | "annotator">): string {
  return group.layer === "gold" || !group.annotator ? "gold" : `${slugify(group.annotator.name)}-${group.annotator.id}`;
}
