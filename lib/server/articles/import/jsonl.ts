import "server-only";
import { AppError } from "@/lib/errors";
import { findNulCharacter } from "@/lib/server/api/request";
import { maxArticlesPerImportFile } from "@/lib/validation/article-import";
import { decodeUtf8File } from "./file-text";
import type { ImportedArticle } from "./types";

function lineError(fileName: string, line: number, message: string): AppError {
  return new AppError("validation_failed", `${fileName} line ${line}: ${message} Nothing from this file was imported.`, { line });
}

/**
 * A .jsonl file: one article per line, `{"title", "text", "source"?}` (other keys are ignored); blank lines are
 * skipped but counted. Throws 422 naming the first bad line, 422 for a file without articles, 413 for more
 * than maxArticlesPerImportFile. Title and text rules are checked later, per line, by the caller.
 */
export function importJsonlFile(bytes: Uint8Array, fileName: string): ImportedArticle[] {
  const content = decodeUtf8File(bytes, fileName, "JSON Lines files are UTF-8; save it as UTF-8 and upload it again.");
  const lines = (content.charCodeAt(0) === 0xfeff ? content.slice(1) : content).split(/\r?\n/);
  const articles: ImportedArticle[] = [];
  for (const [index, raw] of lines.entries()) {
    const line = index + 1;
    if (!raw.trim()) continue;
    if (articles.length >= maxArticlesPerImportFile) {
      throw new AppError("payload_too_large", `${fileName} holds more than ${maxArticlesPerImportFile} articles; split it into several files.`, { line });
    }
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw lineError(fileName, line, `not valid JSON (${error instanceof SyntaxError ? error.message : "parse error"}).`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw lineError(fileName, line, 'each line must be one JSON object {"title", "text", "source"?}.');
    }
    const nulPath = findNulCharacter(value, []);
    if (nulPath !== null) throw lineError(fileName, line, `${nulPath} contains a NUL character (U+0000), which cannot be stored.`);
    const { title, text, source } = value as Record<string, unknown>;
    if (typeof title !== "string") throw lineError(fileName, line, 'give each line a "title" string.');
    if (typeof text !== "string") throw lineError(fileName, line, 'give each line a "text" string.');
    if (source !== undefined && source !== null && typeof source !== "string") throw lineError(fileName, line, '"source" must be a string or null.');
    articles.push({ title, text, source: typeof source === "string" && source.trim() ? source : null, line, isTitleDerived: false, isSourceDerived: false });
  }
  if (!articles.length) throw new AppError("validation_failed", `${fileName} is empty: a .jsonl file needs one {"title", "text"} object per line.`);
  return articles;
}
