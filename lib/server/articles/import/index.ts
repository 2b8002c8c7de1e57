import "server-only";
import { AppError } from "@/lib/errors";
import { toAppError } from "@/lib/server/api/errors";
import { createArticleSchema } from "@/lib/validation/article";
import {
  formatBytes,
  importAccept,
  importFormatOf,
  maxImportFileBytes,
  type ImportFileError,
  type ImportFormat,
  type ImportResult,
} from "@/lib/validation/article-import";
import { toCanonicalArticleText, type NewArticle } from "../articles";
import { createArticles } from "../create-many";
import { importHtmlFile } from "./html";
import { importJsonlFile } from "./jsonl";
import { importTextFile } from "./text";
import type { ImportedArticle } from "./types";

const readers: Record<ImportFormat, (bytes: Uint8Array, fileName: string) => ImportedArticle[]> = {
  text: importTextFile,
  html: importHtmlFile,
  jsonl: importJsonlFile,
};

const fileTypes: Record<ImportFormat, string> = { text: "text/plain", html: "text/html", jsonl: "application/jsonl" };

/** Form fields sent beside the files: they replace what is worked out from a file (see applyOverrides). */
export interface ImportOverrides {
  title?: string | null;
  source?: string | null;
}

/** Prefixes an AppError's message with where it happened ("news.jsonl line 3: …"), keeping code and line. */
function locate(error: unknown, where: string, line: number | undefined): never {
  const appError = toAppError(error);
  if (line === undefined) throw new AppError(appError.code, `${where}: ${appError.message}`, appError.details);
  throw new AppError(appError.code, `${where}: ${appError.message} Nothing from this file was imported.`, { ...appError.details, line });
}

/**
 * The `title` field names one article: it replaces the derived title of a single .txt or .html file.
 * The `source` field replaces a derived source (.txt, .html) and fills in .jsonl lines that have none.
 */
function applyOverrides(articles: ImportedArticle[], format: ImportFormat, fileName: string, overrides: ImportOverrides): ImportedArticle[] {
  if (overrides.title && format === "jsonl") {
    throw new AppError("validation_failed", `${fileName}: a title field names one article; the lines of a .jsonl file carry their own titles.`);
  }
  return articles.map((article) => ({
    ...article,
    title: overrides.title && article.isTitleDerived ? overrides.title : article.title,
    source: overrides.source && (article.isSourceDerived || !article.source) ? overrides.source : article.source,
  }));
}

/** Reads, checks and stores one file: all its articles or none. Throws AppError naming the file (and line). */
async function importFile({ userId, projectId, file, fileName, overrides }: { userId: string; projectId: string; file: File; fileName: string; overrides: ImportOverrides }) {
  if (fileName.includes("\u0000")) {
    throw new AppError("validation_failed", `${JSON.stringify(fileName)}: the file name contains a NUL character (U+0000), which cannot be stored. Rename the file and upload it again.`);
  }
  const format = importFormatOf(fileName);
  if (!format) {
    throw new AppError("unsupported_media_type", `${fileName}: only ${importAccept.replaceAll(",", ", ")} files can be imported. Save the article as one of these, or paste its text.`);
  }
  if (file.size > maxImportFileBytes) {
    throw new AppError("payload_too_large", `${fileName} is ${formatBytes(file.size)}; each file may be at most ${formatBytes(maxImportFileBytes)}. Split it into several files.`);
  }
  if (file.size === 0) throw new AppError("validation_failed", `${fileName} is empty.`);
  const bytes = new Uint8Array(await file.arrayBuffer());
  const imported = applyOverrides(readers[format](bytes, fileName), format, fileName, overrides);
  const articles: NewArticle[] = imported.map((article) => {
    const where = article.line === undefined ? fileName : `${fileName} line ${article.line}`;
    try {
      const valid = createArticleSchema.parse({ title: article.title, text: article.text, source: article.source });
      toCanonicalArticleText(valid.text);
      return { ...valid, originalFileName: fileName, originalFileType: fileTypes[format] };
    } catch (error) {
      return locate(error, where, article.line);
    }
  });
  return createArticles({ userId, projectId, articles });
}

/**
 * Imports every file on its own, in order: a file that fails is listed in `errors` (with the line for .jsonl)
 * and the others still import. Each file is one transaction, so a bad .jsonl line leaves nothing of that file.
 */
export async function importArticleFiles({
  userId,
  projectId,
  files,
  overrides = {},
}: {
  userId: string;
  projectId: string;
  files: File[];
  overrides?: ImportOverrides;
}): Promise<ImportResult> {
  const result: ImportResult = { articles: [], errors: [] };
  for (const [index, file] of files.entries()) {
    const fileName = file.name || `file ${index + 1}`;
    try {
      result.articles.push(...(await importFile({ userId, projectId, file, fileName, overrides })));
    } catch (error) {
      const appError = toAppError(error);
      const line = appError.details?.line;
      const entry: ImportFileError = { file: fileName, code: appError.code, status: appError.status, message: appError.message };
      if (typeof line === "number") entry.line = line;
      result.errors.push(entry);
    }
  }
  return result;
}
