import "server-only";
import { AppError } from "@/lib/errors";
import { formatBytes, maxImportFiles, maxImportRequestBytes } from "@/lib/validation/article-import";

export interface ArticleUpload {
  files: File[];
  /** Optional `title` form field: the title of the one article a single .txt or .html file makes. */
  title: string | null;
  /** Optional `source` form field: the source of every article that has none of its own. */
  source: string | null;
}

function tooLarge(): AppError {
  return new AppError("payload_too_large", `The upload is larger than ${formatBytes(maxImportRequestBytes)}. Send fewer files at once.`);
}

/** The request body, refusing (413) more than maxImportRequestBytes: by Content-Length before reading, else while reading. */
async function readBoundedBody(request: Request): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxImportRequestBytes) throw tooLarge();
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxImportRequestBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
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
  const body = await readBoundedBody(request);
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
