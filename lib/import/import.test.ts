import { createHash } from "node:crypto";
import { strToU8, zipSync } from "fflate";
import { describe, expect, test } from "vitest";
import { createCodePointMapper } from "@/lib/export/code-points";
import { parseBratZip, titleOfStem, unsafeEntryName } from "./brat-zip";
import { createUtf16Mapper } from "./code-points";
import { parseDatasetJsonl } from "./dataset-jsonl";
import { ImportInputError, type ImportProblem } from "./model";

const labels = { entityTypes: ["PER", "ORG", "LOC", "MISC"], polarities: ["FAVOR", "AGAINST", "NEUTRAL"] };
const text = "“Hollande” met 普京 in Moscow 🇫🇷👍🏽.\nThe cafe\u0301 said: no.";
const cp = createCodePointMapper(text);
const at = (quote: string) => {
  const s = text.indexOf(quote);
  return `${cp(s)} ${cp(s + quote.length)}`;
};

function problemsOf(work: () => unknown): ImportProblem[] {
  try {
    work();
  } catch (error) {
    if (error instanceof ImportInputError) return error.problems;
    throw error;
  }
  throw new Error("expected an ImportInputError");
}

const zip = (files: Record<string, string>) => zipSync(Object.fromEntries(Object.entries(files).map(([name, content]) => [name, strToU8(content)])));

describe("code points → UTF-16", () => {
  test("is the inverse of the export's mapper, also past astral characters", () => {
    const toUtf16 = createUtf16Mapper(text);
    for (let i = 0; i <= text.length; i++) {
      if (i > 0 && text.charCodeAt(i) >= 0xdc00 && text.charCodeAt(i) <= 0xdfff) continue;
      expect(toUtf16(cp(i))).toBe(i);
    }
    expect(toUtf16(Array.from(text).length + 1)).toBeNull();
    expect(createUtf16Mapper("abc")(4)).toBeNull();
  });
});

describe("brat zip", () => {
  test("T, N, E and A lines; offsets become UTF-16; plain T lines find-or-create by text", () => {
    const ann = [
      `T1\tPER ${at("Hollande")}\tHollande`,
      `N1\tReference T1 Registry:ent-h\tFrançois Hollande`,
      `T2\tPER ${at("普京")}\t普京`,
      `T3\tLOC ${at("Moscow 🇫🇷")}\tMoscow 🇫🇷`,
      `T4\tStance ${at("said: no")}\tsaid: no`,
      `E1\tStance:T4 Holder:T2 Target:T1`,
      `A1\tPolarity E1 AGAINST`,
      `R1\tRel Arg1:T1 Arg2:T2`,
    ].join("\n");
    const dataset = parseBratZip(zip({ "annotation.conf": "[entities]\n", "deep/er/doc.txt": text, "deep/er/doc.ann": ann }), "c.zip", labels);
    expect(dataset.articles).toHaveLength(1);
    const [article] = dataset.articles;
    expect(article!.title).toBe("deep/er/doc");
    const quotes = article!.annotations.map((a) => [a.kind, text.slice(a.start, a.end), a.quote, a.entityKey]);
    expect(quotes).toEqual([
      ["entity", "Hollande", "Hollande", "ref:Registry:ent-h"],
      ["entity", "普京", "普京", "text:PER:普京"],
      ["entity", "Moscow 🇫🇷", "Moscow 🇫🇷", "text:LOC:moscow 🇫🇷"],
      ["stance", "said: no", "said: no", null],
    ]);
    expect(article!.annotations[3]!.stance).toEqual({ holderKey: "text:PER:普京", targetKey: "ref:Registry:ent-h", polarity: "AGAINST" });
    expect(dataset.entities.get("ref:Registry:ent-h")).toMatchObject({ name: "François Hollande", type: "PER" });
    expect(dataset.notes.join(" ")).toContain("1 line(s)");
  });

  test("discontinuous fragments over white space become one span; over text, an error naming file and line", () => {
    const two = "New\nYork is big";
    const ok = parseBratZip(zip({ "a.txt": two, "a.ann": "T1\tLOC 0 3;4 8\tNew York\n" }), "c.zip", labels);
    expect(ok.articles[0]!.annotations[0]).toMatchObject({ start: 0, end: 8, quote: "New\nYork" });
    const problems = problemsOf(() => parseBratZip(zip({ "a.txt": two, "a.ann": "\nT1\tLOC 0 3;9 11\tNew is\n" }), "c.zip", labels));
    expect(problems).toEqual([expect.objectContaining({ file: "c.zip:a.ann", line: 2 })]);
    expect(problems[0]!.message).toContain("separated by text");
  });

  test("a text that does not match the offsets, and an unknown type, are refused naming file and line", () => {
    const problems = problemsOf(() => parseBratZip(zip({ "d/a.txt": text, "d/a.ann": `T1\tPER ${at("Hollande")}\tHolland\nT2\tFOO ${at("普京")}\t普京\n` }), "c.zip", labels));
    expect(problems.map((p) => [p.file, p.line])).toEqual([
      ["c.zip:d/a.ann", 1],
      ["c.zip:d/a.ann", 2],
    ]);
    expect(problems[0]!.message).toContain('"Hollande"');
    expect(problems[1]!.message).toContain('unknown entity type "FOO"');
  });

  test("CRLF texts: offsets count the file as it is and land on the canonical text", () => {
    const dataset = parseBratZip(zip({ "a.txt": "One\r\nTwo Paris", "a.ann": "T1\tLOC 9 14\tParis\n" }), "c.zip", labels);
    expect(dataset.articles[0]!.text).toBe("One\nTwo Paris");
    expect(dataset.articles[0]!.annotations[0]).toMatchObject({ start: 8, end: 13, quote: "Paris" });
  });

  test("guards: corrupt zips, climbing names, .ann without .txt", () => {
    expect(problemsOf(() => parseBratZip(new Uint8Array([80, 75, 3, 4, 1, 2, 3]), "bad.zip", labels))[0]!.message).toContain("not a readable zip");
    expect(unsafeEntryName("../etc/passwd")).toContain("climbs");
    expect(unsafeEntryName("/abs.txt")).toContain("absolute");
    expect(unsafeEntryName("a\\b.txt")).toContain("backslash");
    expect(unsafeEntryName("ok/fine.txt")).toBeNull();
    expect(problemsOf(() => parseBratZip(zip({ "x.ann": "" , "y.txt": "hi" }), "c.zip", labels))[0]).toMatchObject({ file: "c.zip:x.ann" });
  });

  test("a Spanlight layer=all zip: layer folders, one article per file name; titles drop the article id", () => {
    const stem = "talks-in-moscow-cmabcdefghijklmnopqrstuvw";
    const dataset = parseBratZip(
      zip({ "annotation.conf": "", [`gold/${stem}.txt`]: text, [`gold/${stem}.ann`]: `T1\tPER ${at("Hollande")}\tHollande\n`, [`ana-cuserabcdefghijklmnopqrst/${stem}.txt`]: text, [`ana-cuserabcdefghijklmnopqrst/${stem}.ann`]: `T1\tLOC ${at("Moscow")}\tMoscow\n` }),
      "all.zip",
      labels,
    );
    expect(dataset.articles).toHaveLength(1);
    expect(dataset.articles[0]!.title).toBe("talks-in-moscow");
    expect(dataset.articles[0]!.annotations.map((a) => a.layer)).toEqual([{ kind: "user", annotator: { id: "cuserabcdefghijklmnopqrst", name: null, slug: "ana" } }, { kind: "gold" }]);
    expect(titleOfStem("plain/doc-1")).toBe("plain/doc-1");
  });
});

describe("native jsonl", () => {
  const sha = createHash("sha256").update(text).digest("hex");
  const header = JSON.stringify({ type: "header", schema: "spanlight.dataset", schemaVersion: 1 });
  const s = text.indexOf("Moscow");
  const mention = { id: "a1", layer: "user", annotator: { id: "u1", name: "Ana" }, kind: "entity", start: cp(s), end: cp(s + 6), start_utf16: s, end_utf16: s + 6, quote: "Moscow", entity_type: "LOC", entity: { id: "e1", name: "Moscow", type: "LOC", aliases: ["Moskva"] }, stance: null, derived_from: [] };
  const record = (overrides: object = {}) => JSON.stringify({ type: "article", id: "x", title: "T", source: null, version: 1, text, text_sha256: sha, annotations: [mention], ...overrides });
  const bytes = (...lines: string[]) => new TextEncoder().encode(lines.join("\n"));

  test("reads articles, entities and layers", () => {
    const dataset = parseDatasetJsonl(bytes(header, record()), "d.jsonl");
    expect(dataset.articles[0]!.annotations[0]).toMatchObject({ start: s, end: s + 6, entityKey: "id:e1", layer: { kind: "user", annotator: { id: "u1", name: "Ana" } } });
    expect(dataset.entities.get("id:e1")).toMatchObject({ aliases: ["Moskva"], type: "LOC" });
  });

  test("bad lines name the file and line: not JSON, changed text, offsets off, code points off, no header", () => {
    const problems = problemsOf(() =>
      parseDatasetJsonl(
        bytes(header, "{nope", record({ text: `${text}!` }), record({ annotations: [{ ...mention, start_utf16: s + 1 }] }), record({ annotations: [{ ...mention, start: 0 }] })),
        "d.jsonl",
      ),
    );
    expect(problems.map((p) => p.line)).toEqual([2, 3, 4, 5]);
    expect(problems[0]!.message).toContain("not valid JSON");
    expect(problems[1]!.message).toContain("text_sha256");
    expect(problems[2]!.message).toContain("quote does not match");
    expect(problems[3]!.message).toContain("code point");
    expect(problemsOf(() => parseDatasetJsonl(bytes(record()), "d.jsonl"))[0]!.message).toContain("header");
  });

  test("a NUL anywhere (written \\u0000, as JSON must) is refused naming where; a backslash before u0000 is text", () => {
    const problems = problemsOf(() => parseDatasetJsonl(bytes(header, record({ title: "T\u0000" }), record({ annotations: [{ ...mention, entity: { ...mention.entity, aliases: ["a\u0000"] } }] })), "d.jsonl"));
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [2, "title contains a NUL character (U+0000), which cannot be stored."],
      [3, "annotations[0].entity.aliases[0] contains a NUL character (U+0000), which cannot be stored."],
    ]);
    const dataset = parseDatasetJsonl(bytes(header, record({ title: "C:\\u0000 path" })), "d.jsonl");
    expect(dataset.articles[0]!.title).toBe("C:\\u0000 path");
  });
});
