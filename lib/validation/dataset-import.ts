/*
 * Limits and the response shape of a dataset import (POST /api/projects/:id/import, docs/dataset-import.md).
 * Shared by the import page, which checks what it can before sending, and the server, which decides.
 */

/** File name endings a dataset import accepts: the native JSON Lines export and a brat zip. */
export const datasetImportAccept = ".jsonl,.zip";

export type DatasetFileFormat = "jsonl" | "brat";

/** The format of an uploaded file by its name, or null. */
export function datasetFormatOf(fileName: string): DatasetFileFormat | null {
  const lower = fileName.toLowerCase();
  if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) return "jsonl";
  if (lower.endsWith(".zip")) return "brat";
  return null;
}

/** Largest whole request (413 before it is read). */
export const maxDatasetRequestBytes = 50 * 1024 * 1024;
/** Most files in one request. */
export const maxDatasetFiles = 20;
/** Most entries in one zip. */
export const maxZipEntries = 5000;
/** Largest total uncompressed size of one zip's entries. */
export const maxZipUncompressedBytes = 200 * 1024 * 1024;
/** Longest line of a .ann, .txt-companion or .conf file inside a zip. */
export const maxAnnLineBytes = 1024 * 1024;
/**
 * Longest line of a native .jsonl file. A line holds one whole article (up to 5 MB of UTF-8 text, which JSON may
 * escape to more) with all its annotations, so the 1 MB line cap of .ann files would refuse articles the app accepts.
 */
export const maxJsonlLineBytes = 40 * 1024 * 1024;
/** Most articles in one uploaded file (each file is one transaction). */
export const maxArticlesPerDatasetFile = 5000;

/** Where brat files that are not in a Spanlight layer folder go: the importer's own layer, or gold. */
export const bratRootLayers = ["mine", "gold"] as const;
export type BratRootLayer = (typeof bratRootLayers)[number];

/** One imported file. */
export interface DatasetImportedFile {
  file: string;
  format: DatasetFileFormat;
  articles: number;
  annotations: number;
  entitiesCreated: number;
  entitiesReused: number;
  /** Where each layer of the file went: "gold", or a member's name. */
  layers: { from: string; to: string }[];
  /** Things imported in a way worth knowing (skipped brat lines, layers mapped to the importer). */
  notes: string[];
  articleIds: string[];
}

/** One refusal: a whole file, or the line in it (inside a zip: `corpus.zip:docs/a.ann`). */
export interface DatasetRefusal {
  file: string;
  line?: number;
  code: string;
  /** The HTTP status this refusal would have on its own. */
  status: number;
  message: string;
}

/** Body of the import response: 201 when anything was imported, else the first refusal's status (plus `error`). */
export interface DatasetImportResult {
  imported: DatasetImportedFile[];
  refused: DatasetRefusal[];
}
