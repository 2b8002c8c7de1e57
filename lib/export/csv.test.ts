import { stringify } from "csv-stringify/sync";
import fc from "fast-check";
import { expect, test } from "vitest";
import { csvRecord } from "./csv";

// The options the stance CSV used with csv-stringify: csvRecord must write the very same text.
const options = { record_delimiter: "windows", quoted_match: /[\r\n\u2028\u2029\u0085]/ } as const;

test("csvRecord writes what csv-stringify writes", () => {
  const special = fc.constantFrom(",", '"', "\r", "\n", "\r\n", "\u2028", "\u2029", "\u0085", " ", "", "=", "a", "普京", "🇫🇷", "\t", "'");
  const field = fc.oneof(fc.string(), fc.array(special, { maxLength: 6 }).map((parts) => parts.join("")));
  fc.assert(
    fc.property(fc.array(field, { minLength: 1, maxLength: 8 }), (row) => {
      expect(csvRecord(row)).toBe(stringify([row], options));
    }),
    { numRuns: 2000 },
  );
  expect(csvRecord(["a", "", 'say "no"', "x,y", "two\nlines"])).toBe('a,,"say ""no""","x,y","two\nlines"\r\n');
});
