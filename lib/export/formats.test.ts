import { unzipSync, strFromU8 } from "fflate";
import { describe, expect, test } from "vitest";
import { entities, fixtureArticles, fixtureContext, fixtureText, goldArticles, stanceEvidence, toAsync } from "@/tests/fixtures/export/fixture";
import { utf16ToCodePoint } from "../text/offsets";
import { bratAnn, bratAnnotationConf, bratArticleFiles, bratFragments } from "./brat";
import { createCodePointMapper } from "./code-points";
import { conllArticle, conllDocStart } from "./conll";
import { hfArticle } from "./hf";
import { analyzeText, iobLabelNames, iobTags } from "./iob";
import { jsonlArticle, jsonlHeader } from "./jsonl";
import { articleFileStem, layerGroups, slugify } from "./model";
import { spacyArticle } from "./spacy";
import { stanceCsvArticle, stanceCsvColumns, stanceCsvHeader } from "./stance-csv";
import { exportBytes } from "./stream";

const ctx = fixtureContext();
const [article, plain] = goldArticles() as [ReturnType<typeof goldArticles>[0], ReturnType<typeof goldArticles>[0]];

async function collect(iterable: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of iterable) parts.push(part);
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) out.set(part, (offset += part.length) - part.length);
  return out;
}

describe("code points", () => {
  test("the mapper agrees with utf16ToCodePoint at every offset", () => {
    const map = createCodePointMapper(fixtureText);
    for (let i = 0; i <= fixtureText.length; i++) if (!(i > 0 && /[\ud800-\udbff]/.test(fixtureText[i - 1]!))) expect(map(i)).toBe(utf16ToCodePoint(fixtureText, i));
    expect(createCodePointMapper("abc")(2)).toBe(2);
  });
});

describe("file names", () => {
  test("slug of the title, then the id", () => {
    expect(articleFileStem({ id: "x1", title: "Hollande–Putin: “talks” in Moscow 🇫🇷" })).toBe("hollande-putin-talks-in-moscow-x1");
    expect(slugify("普京")).toBe("untitled");
    expect(slugify("Café de l’Europe")).toBe("cafe-de-l-europe");
  });
});

describe("jsonl", () => {
  test("header states schema, version and offset units", () => {
    const header = JSON.parse(jsonlHeader(ctx));
    expect(header).toMatchObject({
      type: "header",
      schema: "spanlight.dataset",
      schemaVersion: 1,
      offsets: { start_end: "unicode code points", start_utf16_end_utf16: "UTF-16 code units" },
      project: { id: "proj-1", name: "Hollande–Putin talks" },
      layer: "gold",
      entityTypes: ["PER", "ORG", "LOC", "MISC"],
      polarities: ["FAVOR", "AGAINST", "NEUTRAL"],
    });
  });
  test("one line per article, both offset units, the quote, entity and stance", () => {
    const line = jsonlArticle(article);
    expect(line.endsWith("\n") && line.indexOf("\n") === line.length - 1).toBe(true);
    const record = JSON.parse(line);
    expect(record).toMatchObject({ type: "article", id: "art-1", text: fixtureText, text_sha256: article.textSha256, version: 2 });
    const cafe = record.annotations.find((a: { quote: string }) => a.quote === "cafe\u0301");
    expect(cafe).toMatchObject({ start_utf16: fixtureText.indexOf("cafe"), entity: entities.cafe, entity_type: "ORG", layer: "gold", kind: "entity" });
    expect(cafe.start).toBe(utf16ToCodePoint(fixtureText, cafe.start_utf16));
    expect(cafe.start).toBe(cafe.start_utf16 - 4); // two emoji of two surrogate pairs each before it
    const against = record.annotations.find((a: { stance: { polarity: string } | null }) => a.stance?.polarity === "AGAINST");
    expect(against).toMatchObject({ quote: stanceEvidence, stance: { holder: { id: entities.peskov.id }, target: { id: entities.hollande.id } }, derived_from: [] });
  });
});

describe("brat", () => {
  test("a span across a line break becomes fragments, quote joined by a space", () => {
    const start = fixtureText.indexOf(stanceEvidence);
    const result = bratFragments(fixtureText, start, start + stanceEvidence.length, createCodePointMapper(fixtureText));
    expect(result.offsets).toBe("44 60;61 97");
    expect(result.quote).toBe("said: ‘no deal’. Putin’s aide Dmitry Peskov denied it");
  });
  test("T, N, E with holder/target mentions, A polarity; AnnotatorNotes when an entity has no mention", () => {
    const ann = bratAnn(article.text, article.annotations).split("\n");
    expect(ann).toContain("T1\tPER 1 9\tHollande");
    expect(ann).toContain("N1\tReference T1 Registry:ent-hollande\tFrançois Hollande");
    expect(ann).toContain("T5\tORG 38 43\tcafe\u0301");
    expect(ann).toContain("E2\tStance:T10 Holder:T7 Target:T1");
    expect(ann).toContain("A2\tPolarity E2 AGAINST");
    expect(ann).toContain("E1\tStance:T9 Target:T2");
    expect(ann).toContain('#1\tAnnotatorNotes E1\tHolder: The Kremlin, "official" (Registry:ent-kremlin)');
  });
  test("annotation.conf declares types, the Stance event and the Polarity attribute", () => {
    const conf = bratAnnotationConf(ctx);
    expect(conf).toContain("[entities]\nPER\nORG\nLOC\nMISC\n");
    expect(conf).toContain("Stance\tHolder?:<ENTITY>, Target?:<ENTITY>");
    expect(conf).toContain("Polarity\tArg:Stance, Value:FAVOR|AGAINST|NEUTRAL");
  });
  test("layer=all: one folder per layer", () => {
    const files = bratArticleFiles(fixtureArticles()[0]!, fixtureContext({ kind: "all" })).map((file) => file.path);
    expect(files).toEqual([
      "gold/hollande-putin-talks-in-moscow-art-1.txt",
      "gold/hollande-putin-talks-in-moscow-art-1.ann",
      "ana-nunez-user-ana/hollande-putin-talks-in-moscow-art-1.txt",
      "ana-nunez-user-ana/hollande-putin-talks-in-moscow-art-1.ann",
    ]);
  });
  test("the zip holds the confs and every article, the text byte for byte", async () => {
    const zip = unzipSync(await collect(exportBytes("brat", ctx, () => toAsync(goldArticles()))));
    expect(Object.keys(zip).sort()).toEqual(["annotation.conf", "hollande-putin-talks-in-moscow-art-1.ann", "hollande-putin-talks-in-moscow-art-1.txt", "second-art-2.ann", "second-art-2.txt", "visual.conf"]);
    expect(strFromU8(zip["hollande-putin-talks-in-moscow-art-1.txt"]!)).toBe(fixtureText);
    expect(strFromU8(zip["second-art-2.ann"]!)).toBe("");
  });
});

describe("IOB2 and CoNLL", () => {
  test("longest mention wins; the nested ones disappear; B- starts each mention", () => {
    const analysis = analyzeText(fixtureText);
    const tags = iobTags(analysis, article.annotations);
    const tokens = analysis.tokens.map((token) => fixtureText.slice(token.start, token.end));
    const tagged = tokens.map((token, i) => `${token}/${tags[i]}`).filter((pair) => !pair.endsWith("/O"));
    expect(tagged).toEqual(["Hollande/B-PER", "普/B-PER", "京/I-PER", "Moscow/B-LOC", "🇫🇷/B-MISC", "cafe\u0301/B-ORG", "Putin’s/B-PER", "aide/I-PER", "Dmitry/I-PER", "Peskov/I-PER"]);
  });
  test("a partly overlapped mention keeps its other tokens, starting with B-", () => {
    const text = "New York City Hall";
    const analysis = analyzeText(text);
    const a = { ...article.annotations[0]!, start: 0, end: 13, quote: "New York City", entityType: "LOC" };
    const b = { ...article.annotations[0]!, start: 9, end: 18, quote: "City Hall", entityType: "ORG" };
    expect(iobTags(analysis, [a, b])).toEqual(["B-LOC", "I-LOC", "I-LOC", "B-ORG"]);
  });
  test("-DOCSTART- per article, blank line after each sentence, four columns", () => {
    const conll = conllArticle(article, ctx).join("");
    expect(conll.startsWith(`${conllDocStart}\n\n“ -X- _ O\nHollande -X- _ B-PER\n`)).toBe(true);
    expect(conll.split("\n\n").length).toBe(5); // docstart, three sentences, and the trailing newline
    for (const line of conll.split("\n").filter(Boolean)) expect(line.split(" ")).toHaveLength(4);
    expect(conllArticle(plain, ctx).join("").startsWith(`${conllDocStart}\n\nPlain -X- _ O\n`)).toBe(true);
  });
  test("label names", () => {
    expect(iobLabelNames(["PER", "LOC"])).toEqual(["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]);
  });
});

describe("spacy", () => {
  test("tokens with ws, spans with inclusive token_end and kb_id, code points", () => {
    const record = JSON.parse(spacyArticle(article, ctx).join(""));
    expect(record.text).toBe(fixtureText);
    expect(record.tokens[1]).toEqual({ text: "Hollande", start: 1, end: 9, id: 1, ws: false });
    expect(record.tokens[3]).toEqual({ text: "met", start: 11, end: 14, id: 3, ws: true });
    expect(record.spans).toContainEqual({ start: 15, end: 17, token_start: 4, token_end: 5, label: "PER", kb_id: "ent-putin" });
    expect(record.spans).toHaveLength(8); // nested ones included, stances not
    expect(record.meta).toMatchObject({ id: "art-1", title: article.title, layer: "gold" });
  });
});

describe("hf", () => {
  test("one record per sentence with string tags", () => {
    const lines = hfArticle(article, ctx).join("").trim().split("\n").map((line) => JSON.parse(line));
    expect(lines).toHaveLength(3);
    expect(lines[2]).toEqual({ id: "art-1-gold-2", article_id: "art-1", layer: "gold", annotator: null, sentence: 2, tokens: ["Putin’s", "aide", "Dmitry", "Peskov", "denied", "it", "."], ner_tags: ["B-PER", "I-PER", "I-PER", "I-PER", "O", "O", "O"] });
  });
});

describe("stance-csv", () => {
  test("header, CRLF records, quoting of commas, quotes and line breaks", () => {
    expect(stanceCsvHeader()).toBe(`${stanceCsvColumns.join(",")}\r\n`);
    const csv = stanceCsvArticle(article, ctx);
    expect(csv).toContain('"The Kremlin, ""official"""');
    expect(csv).toContain(`"${stanceEvidence}"`);
    expect(stanceCsvArticle(plain, ctx)).toBe("");
  });
});

describe("layers", () => {
  test("layer=all: gold first, then each annotator with annotations on the article", () => {
    const groups = layerGroups(fixtureArticles()[0]!, { kind: "all" });
    expect(groups.map((group) => [group.layer, group.annotator?.name ?? null, group.annotations.length])).toEqual([
      ["gold", null, 10],
      ["user", "Ana Ñúñez", 3],
    ]);
  });
});

describe("bundle", () => {
  test("every format and a dataset card", async () => {
    const zip = unzipSync(await collect(exportBytes("bundle", ctx, () => toAsync(goldArticles()))));
    expect(Object.keys(zip)).toEqual(expect.arrayContaining(["spanlight.jsonl", "conll/dataset.conll", "spacy/dataset.jsonl", "hf/dataset.jsonl", "stances.csv", "brat/annotation.conf", "brat/second-art-2.txt", "README.md"]));
    const card = strFromU8(zip["README.md"]!);
    expect(card).toContain("| PER | 5 |");
    expect(card).toContain("| AGAINST | 1 |");
    expect(card).toContain("license:");
    expect(card).toContain('["O","B-PER","I-PER","B-ORG","I-ORG","B-LOC","I-LOC","B-MISC","I-MISC"]');
    expect(strFromU8(zip["spanlight.jsonl"]!).split("\n").filter(Boolean)).toHaveLength(3);
  });
  test("written in one pass, each entry is byte for byte the format's own export (also across small blocks and spools on disk)", async () => {
    for (const [articles, context] of [
      [goldArticles(), ctx],
      [fixtureArticles(), fixtureContext({ kind: "all" })],
    ] as const) {
      const source = () => toAsync(articles);
      for (const zipOptions of [undefined, { blockBytes: 32, maxPending: 1, spoolMemoryBytes: 64 }]) {
        const bundle = unzipSync(await collect(exportBytes("bundle", context, source, { zip: zipOptions })));
        for (const [format, name] of [["jsonl", "spanlight.jsonl"], ["conll", "conll/dataset.conll"], ["spacy", "spacy/dataset.jsonl"], ["hf", "hf/dataset.jsonl"], ["stance-csv", "stances.csv"]] as const) {
          expect(strFromU8(bundle[name]!)).toBe(strFromU8(await collect(exportBytes(format, context, source))));
        }
        const brat = unzipSync(await collect(exportBytes("brat", context, source, { zip: zipOptions })));
        expect(Object.keys(bundle).filter((name) => name.startsWith("brat/"))).toEqual(Object.keys(brat).map((name) => `brat/${name}`));
        for (const [name, content] of Object.entries(brat)) expect(strFromU8(bundle[`brat/${name}`]!)).toBe(strFromU8(content));
        expect(Object.keys(bundle).at(-1)).toBe("README.md");
      }
    }
  });
});
