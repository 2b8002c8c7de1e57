import { getSchema } from "@tiptap/core";
import Document from "@tiptap/extension-document";
import Paragraph from "@tiptap/extension-paragraph";
import Text from "@tiptap/extension-text";
import { Node } from "@tiptap/pm/model";
import fc from "fast-check";
import { expect, test } from "vitest";
import { lineStarts, offsetToPosition, positionToOffset, textToReaderDoc } from "./reader-doc";

// The reader's schema: the same extensions as components/reader/article-reader.tsx.
const schema = getSchema([Document, Paragraph, Text]);
const articleText = fc
  .array(fc.oneof(fc.string({ unit: "grapheme", maxLength: 12 }), fc.constantFrom("\n", "\n\n", "“", "’", "👍🏽", "\t", "  ")), { maxLength: 25 })
  .map((parts) => parts.join(""));

function buildDoc(text: string) {
  return Node.fromJSON(schema, textToReaderDoc(text));
}

test("the reader document gives back the canonical text exactly, blank lines included", () => {
  fc.assert(
    fc.property(articleText, (text) => {
      const doc = buildDoc(text);
      expect(doc.textBetween(0, doc.content.size, "\n")).toBe(text);
    }),
  );
});

test("a sample article keeps its paragraphs and curly quotes", () => {
  const text = "Hollande Says He’s Narrowed Differences\n\n“We have progressed,” Hollande said.\n";
  const doc = buildDoc(text);
  expect(doc.childCount).toBe(4);
  expect(doc.child(2).textContent).toBe("“We have progressed,” Hollande said.");
});

test("offset → position → offset is the identity, and positions slice the same text", () => {
  fc.assert(
    fc.property(articleText, fc.nat(), fc.nat(), (text, a, b) => {
      const doc = buildDoc(text);
      const starts = lineStarts(text);
      for (let offset = 0; offset <= text.length; offset++) expect(positionToOffset(starts, offsetToPosition(starts, offset))).toBe(offset);
      const [start, end] = [a % (text.length + 1), b % (text.length + 1)].sort((x, y) => x - y) as [number, number];
      expect(doc.textBetween(offsetToPosition(starts, start), offsetToPosition(starts, end), "\n")).toBe(text.slice(start, end));
    }),
  );
});
