import { Schema } from "@tiptap/pm/model";
import { DecorationSet } from "@tiptap/pm/view";
import fc from "fast-check";
import { expect, test } from "vitest";
import { lineStarts, offsetToPosition, textToReaderDoc } from "@/lib/text/reader-doc";
import { createDecorationSet, toInlineDecoration, type InlineDecorationParts } from "./decoration-tree";

const schema = new Schema({
  nodes: { doc: { content: "paragraph+" }, paragraph: { content: "text*", toDOM: () => ["p", 0] }, text: {} },
});

function describe(set: DecorationSet) {
  return set
    .find()
    .map((decoration) => `${decoration.from}-${decoration.to}:${(decoration.spec as { id: string }).id}`)
    .sort();
}

const textWithSpans = fc
  .array(fc.oneof(fc.constantFrom("\n", "\n\n", " "), fc.string({ minLength: 1, maxLength: 8, unit: fc.constantFrom("a", "b", "é", "😀") })), { minLength: 1, maxLength: 30 })
  .map((pieces) => pieces.join(""))
  .chain((text) =>
    fc.tuple(
      fc.constant(text),
      fc.array(
        fc.tuple(fc.nat(text.length), fc.nat(text.length)).filter(([a, b]) => a !== b),
        { maxLength: 25 },
      ),
    ),
  );

test("builds the same set as DecorationSet.create, spans inside one paragraph or across several", () => {
  fc.assert(
    fc.property(textWithSpans, ([text, pairs]) => {
      const doc = schema.nodeFromJSON(textToReaderDoc(text));
      const starts = lineStarts(text);
      const parts: InlineDecorationParts[] = pairs.map(([a, b], index) => ({
        from: offsetToPosition(starts, Math.min(a, b)),
        to: offsetToPosition(starts, Math.max(a, b)),
        attrs: { class: `ann-${index % 3}` },
        spec: { id: `a${index}` },
      }));
      const ours = createDecorationSet(doc, parts);
      const theirs = DecorationSet.create(doc, parts.map((part) => toInlineDecoration(part)));
      expect(describe(ours)).toEqual(describe(theirs));
      // Removing by document-position decorations works on our set as on theirs.
      // (remove() consumes its argument: each call gets its own array.)
      const half = () => parts.filter((_, index) => index % 2 === 0).map((part) => toInlineDecoration(part));
      expect(describe(ours.remove(half()))).toEqual(describe(theirs.remove(half())));
    }),
  );
});
