import "server-only";

/**
 * Splits what `string_agg(concat_ws(',', …), E'\n')` built: one line per row, its fields separated by commas.
 * `expectedRows` rows of exactly `fieldCount` fields each, or null when the text does not split that way (a value
 * held a comma or a line break), for the caller to read the rows in another form. No text (no rows) is no lines.
 */
export function splitPackedLines(text: string | null, fieldCount: number, expectedRows: number): string[][] | null {
  const lines = text ? text.split("\n") : [];
  if (lines.length !== expectedRows) return null;
  const rows = lines.map((line) => line.split(","));
  return rows.every((fields) => fields.length === fieldCount) ? rows : null;
}

/** A field for a nullable column: `coalesce(x, '')` made null an empty field. */
export function emptyAsNull(field: string): string | null {
  return field === "" ? null : field;
}
