import "server-only";
import { AppError } from "@/lib/errors";
import { readBodyBytes } from "@/lib/server/api/request";
import { formatBytes, maxImportFiles, maxImportRequestBytes } from "@/lib/validation/article-import";

export interface ArticleUpload {
  files: File[];
  /** Optional `title` form field: the title of the one article a single .txt or .html file makes. */
  title: string | null;
  /** Optional `source` form field: the source of every article that has none of its own. */
  source: string | null;
}

function textField(form: FormData, name: string): string | null {
  const value = form.get(name);
  if (typeof value !== "string" || !value.trim()) return null;
  if (value.includes("\u0000")) throw new AppError("validation_failed", `The ${name} field contains a NUL character (U+0000), which cannot be stored.`);
  return value;
}

/**
 * Reads a multipart article upload: one or more `file` fields (at most maxImportFiles) and the optional `title`
 * and `source` fields. Throws 413 for a request over 50 MB or too many files, 400 for a body that is not
 * multipart or has no file, 422 for a title field sent with several files. Files are checked one by one later.
 */
export async function readArticleUpload(request: Request): Promise<ArticleUpload> {
  const body = await readBodyBytes(request, maxImportRequestBytes, `The upload is larger than ${formatBytes(maxImportRequestBytes)}. Send fewer files at once.`);
  let form: FormData;
  try {
    form = await new Response(body, { headers: { "content-type": request.headers.get("content-type") ?? "" } }).formData();
  } catch {
    throw new AppError("bad_request", "The upload is not valid multipart/form-data; send each file in a field named \"file\".");
  }
  const entries = form.getAll("file");
  const files = entries.filter((entry): entry is File => entry instanceof File);
  if (!files.length || files.length !== entries.length) throw new AppError("bad_request", "Send each article file in a multipart field named \"file\".");
  if (files.length > maxImportFiles) {
    throw new AppError("payload_too_large", `The upload holds ${files.length} files; at most ${maxImportFiles} can be sent at once. Send them in several uploads.`);
  }
  const title = textField(form, "title");
  if (title !== null && files.length > 1) {
    throw new AppError("validation_failed", "A title field names one article; send it with a single .txt or .html file, or leave it out.");
  }
  return { files, title, source: textField(form, "source") };
}
