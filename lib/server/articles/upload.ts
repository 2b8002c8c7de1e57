import "server-only";
import path from "node:path";
import { AppError } from "@/lib/errors";
import { canonicalizeText } from "@/lib/text/canonical";
import { createArticleSchema, maxArticleTextBytes } from "@/lib/validation/article";
import type { NewArticle } from "./articles";

export const maxUploadBytes = maxArticleTextBytes + 512 * 1024;

/** A title for an uploaded text: its first non-empty line when that reads like a headline, else the file name. */
export function titleFromText(text: string, fileName: string): string {
  const firstLine = text.split("\n").find((line) => line.trim())?.trim() ?? "";
  return firstLine && firstLine.length <= 200 ? firstLine : path.parse(fileName).name || fileName;
}

/** Reads the multipart `file` field of an article upload. Plain text only for now. */
export async function readArticleUpload(request: Request): Promise<NewArticle> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxUploadBytes) {
    throw new AppError("payload_too_large", "The upload is larger than 5 MB. Split it into several files.");
  }
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new AppError("bad_request", "The upload is not valid multipart/form-data; send the file in a field named \"file\".");
  }
  const file = form.get("file");
  if (!(file instanceof File)) throw new AppError("bad_request", "Send the article in a multipart field named \"file\".");
  if (file.size > maxArticleTextBytes) throw new AppError("payload_too_large", `${file.name} is larger than 5 MB. Split it into several files.`);
  const extension = path.extname(file.name).toLowerCase();
  if (extension !== ".txt") {
    throw new AppError("unsupported_media_type", `${file.name}: only .txt files can be uploaded so far. Paste the text or send JSON {title, text, source}.`);
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AppError("validation_failed", `${file.name} is not UTF-8 text. Save it as UTF-8 and upload it again.`);
  }
  if (text.includes("\u0000")) {
    throw new AppError("validation_failed", `${file.name} contains NUL characters (U+0000): it looks binary, not like a text file.`);
  }
  const title = form.get("title");
  const source = form.get("source");
  const article = createArticleSchema.parse({
    title: typeof title === "string" && title.trim() ? title : titleFromText(canonicalizeText(text), file.name),
    text,
    source: typeof source === "string" && source.trim() ? source : null,
  });
  return { ...article, originalFileName: file.name, originalFileType: file.type || "text/plain" };
}
