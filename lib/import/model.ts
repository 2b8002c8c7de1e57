/*
 * The neutral model a dataset import is parsed into (pure: no database). The server (lib/server/dataset-import)
 * resolves its layers, labels and entity references against a project and writes it. Offsets here are UTF-16 code
 * units, as everywhere in Spanlight.
 */

/** A problem with the input, naming the file (inside a zip: `corpus.zip:docs/a.ann`) and, when known, the line. */
export interface ImportProblem {
  file: string;
  line?: number;
  message: string;
}

export class ImportInputError extends Error {
  constructor(readonly problems: ImportProblem[]) {
    super(problems.map(describeProblem).join("\n"));
    this.name = "ImportInputError";
  }
}

export function describeProblem(problem: ImportProblem): string {
  return `${problem.file}${problem.line !== undefined ? ` line ${problem.line}` : ""}: ${problem.message}`;
}

/**
 * A canonical entity the import refers to, by a key unique within one uploaded file:
 * - `id:<entity id>` — an entity of a Spanlight export (name, type, aliases known; stances know only the name);
 * - `ref:<DB:ID>` — a brat normalization (`N … Registry:<id>`), named by the N line;
 * - `text:<TYPE>:<name key>` — a brat mention without normalization: find or create the entity by the mention text.
 */
export interface EntityRef {
  key: string;
  name: string;
  /** null when only a stance names it (the jsonl stance holder/target carry id and name only) */
  type: string | null;
  aliases: string[];
  /** `text:` refs: find or create by name or alias, as the tagging UI does. */
  byMentionText: boolean;
  /** where it was first read, for messages */
  seenAt?: { file: string; line: number };
}

/** The layer an annotation comes from, as the file says it. */
export type SourceLayer =
  | { kind: "gold" }
  | { kind: "user"; annotator: { id: string | null; name: string | null; slug: string | null } }
  /** brat files outside a Spanlight layer folder: the importer's choice (`layer` form field) */
  | { kind: "default" };

export interface ImportAnnotation {
  /** the id in the source file (jsonl) or a file-unique name (brat), for derived_from mapping and messages */
  sourceId: string;
  layer: SourceLayer;
  kind: "entity" | "stance";
  /** UTF-16 code units, half-open */
  start: number;
  end: number;
  quote: string;
  /** entity mentions: the mention's own label */
  entityType: string | null;
  /** entity mentions: the entity's key in `ImportDataset.entities` */
  entityKey: string | null;
  stance: { holderKey: string; targetKey: string; polarity: string } | null;
  derivedFrom: string[];
  /** where it was read, for messages */
  file: string;
  line: number;
}

export interface ImportArticle {
  title: string;
  source: string | null;
  text: string;
  annotations: ImportAnnotation[];
  file: string;
  line?: number;
}

export interface ImportDataset {
  format: "jsonl" | "brat";
  articles: ImportArticle[];
  entities: Map<string, EntityRef>;
  notes: string[];
}

/** Adds or completes an entity reference: a later sighting fills in a missing type and adds aliases. */
export function addEntityRef(entities: Map<string, EntityRef>, ref: EntityRef): EntityRef {
  const known = entities.get(ref.key);
  if (!known) {
    entities.set(ref.key, { ...ref, aliases: [...ref.aliases] });
    return entities.get(ref.key)!;
  }
  if (!known.type && ref.type) known.type = ref.type;
  if (!known.name && ref.name) known.name = ref.name;
  for (const alias of ref.aliases) if (!known.aliases.includes(alias)) known.aliases.push(alias);
  return known;
}
