import "server-only";
import path from "node:path";
import { AppError } from "@/lib/errors";

/** Decodes a file as UTF-8, refusing (422) bytes that are not UTF-8 and NUL characters, which look binary. */
export function decodeUtf8File(bytes: Uint8Array, fileName: string, hint = "Save it as UTF-8 and upload it again."): string {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AppError("validation_failed", `${fileName} is not UTF-8 text. ${hint}`);
  }
  return refuseNul(text, fileName);
}

/** Returns `text`, or throws 422 when it holds U+0000 (PostgreSQL text cannot, and it means a binary file). */
export function refuseNul(text: string, fileName: string): string {
  if (text.includes("\u0000")) {
    throw new AppError("validation_failed", `${fileName} contains NUL characters (U+0000): it looks binary, not like a text file.`);
  }
  return text;
}

/** The file name without its ending, for a title ("dw-report.txt" → "dw-report"). */
export function fileStem(fileName: string): string {
  return path.parse(fileName).name || fileName;
}
