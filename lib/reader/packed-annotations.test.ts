import fc from "fast-check";
import { expect, test } from "vitest";
import { packColumns, unpackAnnotations } from "./packed-annotations";

interface PackableAnnotation {
  id: string;
  kind: "entity" | "stance";
  start: number;
  end: number;
  version: number;
  label: string | null;
  entityId: string | null;
  holderEntityId: string | null;
  targetEntityId: string | null;
  note: string | null;
}

/** Rows to the columns the database builds (lib/server/annotations/reader-layer.ts). */
function packAnnotations(header: Parameters<typeof packColumns>[0], rows: PackableAnnotation[]) {
  return packColumns(header, {
    id: rows.map((row) => row.id),
    kind: rows.map((row) => (row.kind === "stance" ? "s" : "e")).join(""),
    start: rows.map((row) => row.start),
    end: rows.map((row) => row.end),
    version: rows.map((row) => row.version),
    label: rows.map((row) => row.label),
    entityId: rows.map((row) => row.entityId),
    holderEntityId: rows.map((row) => row.holderEntityId),
    targetEntityId: rows.map((row) => row.targetEntityId),
    note: rows.map((row) => row.note),
  });
}

const text = "🇫🇷 Hollande said Assad has no place in Syria. Putin agreed.";
const entities = new Map([
  ["e1", { id: "e1", name: "François Hollande", type: "PER", aliases: ["Hollande"] }],
  ["e2", { id: "e2", name: "Bashar al-Assad", type: "PER", aliases: ["Assad"] }],
]);
const header = { articleId: "a1", articleVersion: 2, layer: "user" as const, annotator: { id: "u1", name: "Ana" } };

test("an unpacked annotation carries what the API's JSON does (but timestamps), quotes sliced from the text", () => {
  const hollande = text.indexOf("Hollande");
  const stance = text.indexOf("Assad has");
  const rows: PackableAnnotation[] = [
    { id: "m1", kind: "entity", start: hollande, end: hollande + 8, version: 3, label: "PER", entityId: "e1", holderEntityId: null, targetEntityId: null, note: null },
    { id: "s1", kind: "stance", start: stance, end: stance + 32, version: 1, label: "AGAINST", entityId: null, holderEntityId: "e1", targetEntityId: "e2", note: "reported" },
  ];
  const [mention, against] = unpackAnnotations(packAnnotations(header, rows), text, entities);
  expect(mention).toMatchObject({ id: "m1", kind: "entity", quote: "Hollande", entityType: "PER", entity: entities.get("e1"), polarity: null, version: 3, userId: "u1" });
  expect(against).toMatchObject({
    kind: "stance",
    quote: "Assad has no place in Syria. Put".slice(0, 32),
    polarity: "AGAINST",
    entityType: null,
    holder: { id: "e1", name: "François Hollande", type: "PER" },
    target: { id: "e2", name: "Bashar al-Assad", type: "PER" },
    note: "reported",
  });
});

test("pack then unpack keeps every column, in order", () => {
  const row = fc.record({
    id: fc.string({ minLength: 1, maxLength: 12 }),
    kind: fc.constantFrom("entity" as const, "stance" as const),
    start: fc.nat(20),
    length: fc.integer({ min: 1, max: 20 }),
    version: fc.integer({ min: 1, max: 9 }),
    label: fc.option(fc.constantFrom("PER", "ORG", "FAVOR", "AGAINST")),
    entityId: fc.option(fc.constantFrom("e1", "e2", "gone")),
    holderEntityId: fc.option(fc.constantFrom("e1", "e2")),
    targetEntityId: fc.option(fc.constantFrom("e1", "e2")),
    note: fc.option(fc.string()),
  });
  fc.assert(
    fc.property(fc.array(row, { maxLength: 30 }), (generated) => {
      const rows = generated.map(({ length, ...rest }) => ({ ...rest, end: rest.start + length }));
      const unpacked = unpackAnnotations(packAnnotations(header, rows), text, entities);
      expect(unpacked.map(({ id, kind, start, end, version, entityId, holderEntityId, targetEntityId, note }) => ({ id, kind, start, end, version, entityId, holderEntityId, targetEntityId, note }))).toEqual(
        rows.map(({ label: _label, ...rest }) => rest),
      );
      unpacked.forEach((annotation, index) => {
        expect(annotation.kind === "entity" ? annotation.entityType : annotation.polarity).toBe(rows[index]!.label);
        expect(annotation.quote).toBe(text.slice(annotation.start, annotation.end));
      });
    }),
  );
});
