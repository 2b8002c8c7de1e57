import type { AnnotationJson } from "@/lib/validation/annotation";

/*
 * One annotator layer of an article, packed in columns for the reader page: 10,000 annotations as objects cost
 * megabytes of page data and seconds of parsing; as columns they are a few hundred kilobytes. Entities are sent
 * once (the project registry) and looked up by id; quotes are sliced from the text.
 */

export interface PackedEntity {
  id: string;
  name: string;
  type: string;
  aliases: string[];
}

export interface PackedAnnotations {
  articleId: string;
  articleVersion: number;
  layer: "user" | "gold";
  annotator: { id: string; name: string } | null;
  id: string[];
  /** "e" entity mention, "s" stance, one character per annotation. */
  kind: string;
  start: number[];
  end: number[];
  version: number[];
  /** Index into `labels`: the mention's entity type, or the stance's polarity; -1 for none. */
  label: number[];
  labels: string[];
  entityId: (string | null)[];
  holderEntityId: (string | null)[];
  targetEntityId: (string | null)[];
  note: (string | null)[];
}

/** The reader's view of an annotation: the API's JSON without the timestamps. */
export type ReaderAnnotation = Omit<AnnotationJson, "createdAt" | "updatedAt" | "deletedAt"> & Partial<Pick<AnnotationJson, "createdAt" | "updatedAt" | "deletedAt">>;

/** The columns of a layer as the database or a caller lists them, labels by name. */
export interface AnnotationColumns {
  id: string[];
  kind: string;
  start: number[];
  end: number[];
  version: number[];
  label: (string | null)[];
  entityId: (string | null)[];
  holderEntityId: (string | null)[];
  targetEntityId: (string | null)[];
  note: (string | null)[];
}

type PackedHeader = Pick<PackedAnnotations, "articleId" | "articleVersion" | "layer" | "annotator">;

/** Columns to the packed form: each label name once, referred to by index. */
export function packColumns(header: PackedHeader, { label, ...columns }: AnnotationColumns): PackedAnnotations {
  const labels: string[] = [];
  const labelIndex = new Map<string, number>();
  const indexOf = (name: string | null) => {
    if (name === null) return -1;
    let index = labelIndex.get(name);
    if (index === undefined) {
      index = labels.push(name) - 1;
      labelIndex.set(name, index);
    }
    return index;
  };
  return { ...header, ...columns, label: label.map(indexOf), labels };
}

/** The label and entity columns both packed forms share. */
export type LabelColumns = Pick<PackedAnnotations, "kind" | "start" | "end" | "version" | "label" | "labels" | "entityId" | "holderEntityId" | "targetEntityId" | "note">;

/**
 * The annotation at `index` of packed columns, entities looked up by id and the quote sliced from the text. Who
 * made it and where it lives come from the caller (`owner`).
 */
export function annotationAt(
  columns: LabelColumns & { id: string[] },
  index: number,
  owner: Pick<ReaderAnnotation, "articleId" | "articleVersion" | "layer" | "userId" | "annotator">,
  text: string,
  entities: Map<string, PackedEntity>,
): ReaderAnnotation {
  const reference = (id: string | null) => {
    const entity = id === null ? undefined : entities.get(id);
    return entity ? { id: entity.id, name: entity.name, type: entity.type } : null;
  };
  const kind = columns.kind[index] === "s" ? "stance" : "entity";
  const label = columns.label[index]! >= 0 ? columns.labels[columns.label[index]!]! : null;
  const entityId = columns.entityId[index] ?? null;
  const entity = entityId === null ? undefined : entities.get(entityId);
  const start = columns.start[index]!;
  const end = columns.end[index]!;
  return {
    id: columns.id[index]!,
    ...owner,
    kind,
    start,
    end,
    quote: text.slice(start, end),
    entityType: kind === "entity" ? label : null,
    entityId,
    entity: entity ? { id: entity.id, name: entity.name, type: entity.type, aliases: entity.aliases } : null,
    holderEntityId: columns.holderEntityId[index] ?? null,
    targetEntityId: columns.targetEntityId[index] ?? null,
    holder: reference(columns.holderEntityId[index] ?? null),
    target: reference(columns.targetEntityId[index] ?? null),
    polarity: kind === "stance" ? label : null,
    note: columns.note[index] ?? null,
    version: columns.version[index]!,
  };
}

export function unpackAnnotations(packed: PackedAnnotations, text: string, entities: Map<string, PackedEntity>): ReaderAnnotation[] {
  const owner = { articleId: packed.articleId, articleVersion: packed.articleVersion, layer: packed.layer, userId: packed.annotator?.id ?? null, annotator: packed.annotator };
  return packed.id.map((_, index) => annotationAt(packed, index, owner, text, entities));
}
