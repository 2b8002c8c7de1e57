import { maxArticleTextBytes } from "./article";

/*
 * Limits and formats of a multipart article import (POST /api/projects/:id/articles with `file` fields).
 * Shared by the upload form, which checks what it can before sending, and the server, which decides.
 */

/** File name endings that can be imported, and the reader each one goes through. */
export const importFormats = { ".txt": "text", ".html": "html", ".htm": "html", ".jsonl": "jsonl" } as const;
export type ImportFormat = (typeof importFormats)[keyof typeof importFormats];

/** The `accept` attribute of the upload input. */
export const importAccept = Object.keys(importFormats).join(",");

/** Largest single file, in bytes (413 for that file alone). */
export const maxImportFileBytes = maxArticleTextBytes;
/** Largest whole request, in bytes (413 for the request, refused before it is read). */
export const maxImportRequestBytes = 50 * 1024 * 1024;
/** Most files in one request. */
export const maxImportFiles = 100;
/** Most articles (non-blank lines) in one .jsonl file: each file is one transaction. */
export const maxArticlesPerImportFile = 1000;

/** The import format for a file name, or null when its ending is not one of `importFormats`. */
export function importFormatOf(fileName: string): ImportFormat | null {
  const dot = fileName.lastIndexOf(".");
  if (dot < 0) return null;
  const extension = fileName.slice(dot).toLowerCase();
  return Object.hasOwn(importFormats, extension) ? importFormats[extension as keyof typeof importFormats] : null;
}

/** "5 MB", "1.3 MB", "12 KB": a byte count for messages. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / 1024 / 1024).toFixed(1))} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** One imported article, as the multipart response lists it. */
export interface ImportedArticleSummary {
  id: string;
  title: string;
  version: number;
  source: string | null;
  originalFileName: string | null;
}

/** One refused file (or .jsonl line), as the multipart response lists it. */
export interface ImportFileError {
  file: string;
  /** 1-based line of a .jsonl file. */
  line?: number;
  code: string;
  /** The HTTP status this error would have on its own. */
  status: number;
  message: string;
}

/** Body of a multipart import response: 201 when `articles` is not empty, else the first error's status. */
export interface ImportResult {
  articles: ImportedArticleSummary[];
  errors: ImportFileError[];
}
