import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, expect, test } from "vitest";
import { fixtureArticles, fixtureContext, goldArticles, stanceEvidence, toAsync } from "@/tests/fixtures/export/fixture";
import type { ExportArticle, ExportContext, ExportFormat } from "./model";
import { exportBytes } from "./stream";

/*
 * Reads every export back with the machine's real Python 3 (standard library only): `text[start:end] == quote` for
 * every span of jsonl, brat and spaCy (Python counts code points); CoNLL and HF tags give back the expected entity
 * spans; the stance CSV parses with Python's csv module into the expected rows.
 */

let dir: string;

async function write(format: ExportFormat, name: string, articles: ExportArticle[], ctx: ExportContext = fixtureContext()) {
  const parts: Buffer[] = [];
  for await (const chunk of exportBytes(format, ctx, () => toAsync(articles))) parts.push(Buffer.from(chunk));
  const bytes = Buffer.concat(parts);
  if (format === "brat") {
    for (const [file, content] of Object.entries(unzipSync(bytes))) {
      fs.mkdirSync(path.dirname(path.join(dir, name, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, name, file), content);
    }
  } else fs.writeFileSync(path.join(dir, name), bytes);
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "spanlight-export-py-"));
  await write("jsonl", "gold.jsonl", goldArticles());
  await write("jsonl", "all.jsonl", fixtureArticles(), fixtureContext({ kind: "all" }));
  await write("brat", "brat-gold", goldArticles());
  await write("brat", "brat-all", fixtureArticles(), fixtureContext({ kind: "all" }));
  await write("spacy", "gold.spacy.jsonl", goldArticles());
  await write("conll", "gold.conll", goldArticles());
  await write("hf", "gold.hf.jsonl", goldArticles());
  await write("stance-csv", "gold.csv", goldArticles());
  const expectedEntities = [["Hollande", "PER"], ["普 京", "PER"], ["Moscow", "LOC"], ["🇫🇷", "MISC"], ["cafe\u0301", "ORG"], ["Putin’s aide Dmitry Peskov", "PER"]];
  const [article] = goldArticles();
  const expectedCsv = [
    ["article_id", "article_title", "holder", "holder_id", "target", "target_id", "polarity", "evidence", "sentence", "start", "end", "start_utf16", "end_utf16", "annotator", "layer"],
    ["art-1", article!.title, 'The Kremlin, "official"', "ent-kremlin", "Vladimir Putin", "ent-putin", "FAVOR", "met 普京", "“Hollande” met 普京 in Moscow 🇫🇷👍🏽.", "11", "17", "11", "17", "", "gold"],
    ["art-1", article!.title, "Dmitry Peskov", "ent-peskov", "François Hollande", "ent-hollande", "AGAINST", stanceEvidence, "The cafe\u0301 said: ‘no deal’.\nPutin’s aide Dmitry Peskov denied it.", "44", "97", "48", "101", "", "gold"],
  ];
  fs.writeFileSync(path.join(dir, "expected.json"), JSON.stringify({ entities: expectedEntities, csv: expectedCsv }));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const script = String.raw`
import csv, glob, hashlib, io, json, os, sys
d = sys.argv[1]
expected = json.load(open(os.path.join(d, "expected.json"), encoding="utf-8"))
counts = {}
def bump(k, n=1): counts[k] = counts.get(k, 0) + n

for name in ("gold.jsonl", "all.jsonl"):
    lines = open(os.path.join(d, name), encoding="utf-8").read().splitlines()
    header = json.loads(lines[0])
    assert header["type"] == "header" and header["schema"] == "spanlight.dataset" and header["offsets"]["start_end"] == "unicode code points"
    for line in lines[1:]:
        rec = json.loads(line)
        assert hashlib.sha256(rec["text"].encode("utf-8")).hexdigest() == rec["text_sha256"]
        for a in rec["annotations"]:
            assert rec["text"][a["start"]:a["end"]] == a["quote"], (name, a)
            u16 = rec["text"].encode("utf-16-le")
            assert u16[2*a["start_utf16"]:2*a["end_utf16"]].decode("utf-16-le") == a["quote"]
            bump(name)

for coll in ("brat-gold", "brat-all"):
    conf = open(os.path.join(d, coll, "annotation.conf"), encoding="utf-8").read()
    assert "[entities]" in conf and "Stance" in conf
    anns = glob.glob(os.path.join(d, coll, "**", "*.ann"), recursive=True)
    assert anns
    for ann in anns:
        text = open(ann[:-4] + ".txt", encoding="utf-8", newline="").read()
        ids = set()
        for line in open(ann, encoding="utf-8", newline=""):
            line = line.rstrip("\n")
            fields = line.split("\t")
            if line.startswith("T"):
                assert len(fields) == 3, line
                tid, mid, quote = fields
                label, offsets = mid.split(" ", 1)
                frags = [tuple(map(int, f.split(" "))) for f in offsets.split(";")]
                assert " ".join(text[s:e] for s, e in frags) == quote, (ann, line)
                ids.add(tid); bump(coll)
            elif line.startswith("E"):
                eid, args = fields
                for arg in args.split(" "):
                    role, ref = arg.split(":")
                    assert ref in ids, line
                ids.add(eid)
            elif line.startswith("A") or line.startswith("N") or line.startswith("#"):
                ref = fields[1].split(" ")[1]
                assert ref in ids, line

for line in open(os.path.join(d, "gold.spacy.jsonl"), encoding="utf-8"):
    rec = json.loads(line)
    text = rec["text"]
    for t in rec["tokens"]:
        assert text[t["start"]:t["end"]] == t["text"]
    for s in rec["spans"]:
        quote = text[s["start"]:s["end"]]
        assert rec["tokens"][s["token_start"]]["start"] <= s["start"] < rec["tokens"][s["token_start"]]["end"]
        assert rec["tokens"][s["token_end"]]["start"] < s["end"] <= rec["tokens"][s["token_end"]]["end"]
        bump("spacy")

def spans_from_iob(tokens, tags):
    out, cur = [], None
    for tok, tag in zip(tokens, tags):
        if tag.startswith("B-") or (tag.startswith("I-") and (cur is None or cur[1] != tag[2:])):
            assert not tag.startswith("I-"), "I- without B-: " + tag
            cur = [[tok], tag[2:]]; out.append(cur)
        elif tag.startswith("I-"):
            cur[0].append(tok)
        else:
            assert tag == "O"; cur = None
    return [[" ".join(t), l] for t, l in out]

docs, sentences, sent = [], [], []
for line in open(os.path.join(d, "gold.conll"), encoding="utf-8"):
    line = line.rstrip("\n")
    if line.startswith("-DOCSTART-"):
        docs.append([]); continue
    if not line:
        if sent: docs[-1].append(sent)
        sent = []; continue
    cols = line.split(" ")
    assert len(cols) == 4 and cols[1] == "-X-" and cols[2] == "_"
    sent.append((cols[0], cols[3]))
assert len(docs) == 2
conll_spans = [s for sen in docs[0] for s in spans_from_iob([t for t, _ in sen], [g for _, g in sen])]
assert conll_spans == expected["entities"], conll_spans
assert all(g == "O" for sen in docs[1] for _, g in sen)

hf_spans = []
for line in open(os.path.join(d, "gold.hf.jsonl"), encoding="utf-8"):
    rec = json.loads(line)
    assert len(rec["tokens"]) == len(rec["ner_tags"])
    if rec["article_id"] == "art-1": hf_spans += spans_from_iob(rec["tokens"], rec["ner_tags"])
assert hf_spans == expected["entities"], hf_spans

with open(os.path.join(d, "gold.csv"), encoding="utf-8", newline="") as f:
    raw = f.read()
    assert not raw.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(raw, newline="")))
assert rows == expected["csv"], rows
print(json.dumps(counts, sort_keys=True))
`;

test("python3 reads every export back: spans, tags and CSV rows", () => {
  const output = execFileSync("python3", ["-c", script, dir], { encoding: "utf8" });
  expect(JSON.parse(output)).toEqual({ "all.jsonl": 13, "brat-all": 13, "brat-gold": 10, "gold.jsonl": 10, spacy: 8 });
});
