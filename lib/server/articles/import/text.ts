import "server-only";
import { canonicalizeText } from "@/lib/text/canonical";
import type { ImportedArticle } from "./types";
import { decodeUtf8File, fileStem } from "./file-text";

/** A title for an uploaded text: its first non-empty line when that reads like a headline, else the file name. */
export function titleFromText(text: string, fileName: string): string {
  const firstLine = canonicalizeText(text)
    .split("\n")
    .find((line) => line.trim())
    ?.trim();
  return firstLine && firstLine.length <= 200 ? firstLine : fileStem(fileName);
}

/** A .txt file: one article, its text stored as is (canonical), its title the first line or the file name. */
export function importTextFile(bytes: Uint8Array, fileName: string): ImportedArticle[] {
  const text = decodeUtf8File(bytes, fileName);
  return [{ title: titleFromText(text, fileName), text, source: null, isTitleDerived: true, isSourceDerived: true }];
}
