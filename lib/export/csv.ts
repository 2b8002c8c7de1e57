/*
 * CSV records as RFC 4180 writes them: fields joined by commas, CRLF after each record; a field is quoted when it
 * holds a double quote, a comma, a CR or LF, or one of U+2028, U+2029, U+0085 (line breaks to some readers), its
 * quotes doubled. The same text csv-stringify makes with `record_delimiter: "windows"` and that `quoted_match`
 * (csv.test.ts checks it), written directly: the stance CSV has a record per stance, and csv-stringify's work per
 * call and per field was most of that export's time.
 */

const needsQuotes = /[",\r\n\u2028\u2029\u0085]/;

export function csvField(value: string): string {
  return needsQuotes.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One record, CRLF included. */
export function csvRecord(fields: readonly string[]): string {
  let out = "";
  for (let i = 0; i < fields.length; i++) out += i ? `,${csvField(fields[i]!)}` : csvField(fields[i]!);
  return `${out}\r\n`;
}
