/*
 * Matching a label read from a file to one of the project's labels: exactly, else as the brat export writes it
 * (bratName: characters other than letters, digits, `_`, `-`, `.` replaced by `_`), else ignoring case.
 */
import { bratName } from "@/lib/export/brat";

export function matchLabel(label: string, allowed: readonly string[]): string | null {
  const wanted = label.trim();
  return (
    allowed.find((name) => name === wanted) ??
    allowed.find((name) => bratName(name) === wanted) ??
    allowed.find((name) => name.toLowerCase() === wanted.toLowerCase() || bratName(name).toLowerCase() === wanted.toLowerCase()) ??
    null
  );
}
