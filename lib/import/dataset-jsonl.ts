/*
 * Reads the native JSON Lines export (docs/export-formats.md, `jsonl`) back into the import model: a header record,
 * then one record per article version. Every span is checked three ways: `start_utf16`/`end_utf16` slice to the
 * quote, `start`/`end` are the same offsets in code points, and each text's `text_sha256` matches. Pure.
 */
import { createHash } from "node:crypto";
import { createCodePointMapper } from "@/lib/export/code-points";
import { canonicalizeText, utf8ByteLength } from "@/lib/text/canonical";
import { checkSpan } from "@/lib/text/offsets";
import { entityNameKey } from "@/lib/validation/entity";
import { maxArticlesPerDatasetFile, maxJsonlLineBytes } from "@/lib/validation/dataset-import";
import { hasLoneSurrogate, loneSurrogateMessage } from "@/lib/validation/text";
import { addEntityRef, ImportInputError, type ImportAnnotation, type ImportArticle, type ImportDataset, type ImportProblem, type SourceLayer } from "./model";

const maxProblems = 20;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === "string";
const isInt = (value: unknown): value is number => Number.isInteger(value);

/**
 * The path of the first string the database cannot store (U+0000, or half of a surrogate pair) and why, or null.
 * Walks without recursion: a line may nest arrays 100,000 deep.
 */
function unstorableString(root: unknown): { path: string; reason: string } | null {
  const pending: { value: unknown; path: string }[] = [{ value: root, path: "" }];
  while (pending.length) {
    const { value, path } = pending.pop()!;
    if (typeof value === "string") {
      if (value.includes("\u0000")) return { path, reason: "contains a NUL character (U+0000), which cannot be stored." };
      if (hasLoneSurrogate(value)) return { path, reason: loneSurrogateMessage };
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    const entries = Object.entries(value);
    for (let index = entries.length - 1; index >= 0; index--) {
      const [key, child] = entries[index]!;
      pending.push({ value: child, path: Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key });
    }
  }
  return null;
}

class LineError extends Error {}

function fail(message: string): never {
  throw new LineError(message);
}

function readEntity(value: unknown, where: string): { id: string; name: string; type: string; aliases: string[] } {
  if (!isObject(value) || !isString(value.id) || !isString(value.name) || !isString(value.type)) fail(`${where} must be {id, name, type, aliases}.`);
  const aliases = value.aliases ?? [];
  if (!Array.isArray(aliases) || !aliases.every(isString)) fail(`${where}.aliases must be a list of strings.`);
  if (!value.name.trim()) fail(`${where}.name is empty.`);
  return { id: value.id, name: value.name, type: value.type, aliases };
}

function readRef(value: unknown, where: string): { id: string; name: string } {
  if (!isObject(value) || !isString(value.id) || !isString(value.name)) fail(`${where} must be {id, name}.`);
  return { id: value.id, name: value.name };
}

function readLayer(a: Json, where: string): SourceLayer {
  if (a.layer === "gold") return { kind: "gold" };
  if (a.layer !== "user") fail(`${where}.layer must be "user" or "gold".`);
  if (a.annotator === null || a.annotator === undefined) return { kind: "user", annotator: { id: null, name: null, slug: null } };
  const annotator = readRef(a.annotator, `${where}.annotator`);
  return { kind: "user", annotator: { id: annotator.id, name: annotator.name, slug: null } };
}

function readArticle(record: Json, fileName: string, line: number, dataset: ImportDataset): ImportArticle {
  if (!isString(record.title)) fail('the article record has no "title" string.');
  if (!isString(record.text)) fail('the article record has no "text" string.');
  if (!isString(record.text_sha256)) fail('the article record has no "text_sha256" string.');
  if (record.source !== undefined && record.source !== null && !isString(record.source)) fail('"source" must be a string or null.');
  const text = record.text;
  if (canonicalizeText(text) !== text) fail("the text is not canonical (it holds a carriage return or starts with a byte-order mark), so its offsets cannot be trusted.");
  const sha = createHash("sha256").update(text, "utf8").digest("hex");
  if (sha !== record.text_sha256.toLowerCase()) fail(`text_sha256 is ${record.text_sha256} but the text's SHA-256 is ${sha}: the text was changed after the export.`);
  if (!Array.isArray(record.annotations)) fail('the article record has no "annotations" list.');
  const toCodePoint = createCodePointMapper(text);
  const annotations: ImportAnnotation[] = [];
  for (const [index, raw] of record.annotations.entries()) {
    const where = `annotations[${index}]`;
    if (!isObject(raw)) fail(`${where} is not an object.`);
    const a = raw;
    const id = isString(a.id) ? a.id : `${line}:${index}`;
    const named = `${where}${isString(a.id) ? ` (id ${a.id})` : ""}`;
    if (a.kind !== "entity" && a.kind !== "stance") fail(`${named}.kind must be "entity" or "stance".`);
    for (const field of ["start", "end", "start_utf16", "end_utf16"] as const) if (!isInt(a[field])) fail(`${named}.${field} must be an integer.`);
    if (!isString(a.quote)) fail(`${named}.quote must be a string.`);
    const start = a.start_utf16 as number;
    const end = a.end_utf16 as number;
    const reason = checkSpan(text, start, end, a.quote);
    if (reason) fail(`${named}: start_utf16/end_utf16: ${reason}.`);
    if (toCodePoint(start) !== a.start || toCodePoint(end) !== a.end) {
      fail(`${named}: start/end (${String(a.start)}, ${String(a.end)}) are not the code point offsets of start_utf16/end_utf16 (${toCodePoint(start)}, ${toCodePoint(end)}).`);
    }
    const layer = readLayer(a, named);
    const derived = a.derived_from ?? [];
    if (!Array.isArray(derived) || !derived.every(isString)) fail(`${named}.derived_from must be a list of ids.`);
    if (a.kind === "entity") {
      const entity = a.entity === null || a.entity === undefined ? null : readEntity(a.entity, `${named}.entity`);
      const entityType = isString(a.entity_type) ? a.entity_type : (entity?.type ?? null);
      if (!entityType) fail(`${named}: an entity mention needs entity_type.`);
      const ref = entity
        ? addEntityRef(dataset.entities, { key: `id:${entity.id}`, name: entity.name, type: entity.type, aliases: entity.aliases, byMentionText: false, seenAt: { file: fileName, line } })
        : addEntityRef(dataset.entities, { key: `text:${entityType}:${entityNameKey(a.quote)}`, name: a.quote.trim(), type: entityType, aliases: [], byMentionText: true, seenAt: { file: fileName, line } });
      annotations.push({ sourceId: id, layer, kind: "entity", start, end, quote: a.quote, entityType, entityKey: ref.key, stance: null, derivedFrom: derived, file: fileName, line });
    } else {
      if (!isObject(a.stance)) fail(`${named}: a stance needs stance {holder, target, polarity}.`);
      const holder = readRef(a.stance.holder, `${named}.stance.holder`);
      const target = readRef(a.stance.target, `${named}.stance.target`);
      if (!isString(a.stance.polarity)) fail(`${named}.stance.polarity must be a string.`);
      addEntityRef(dataset.entities, { key: `id:${holder.id}`, name: holder.name, type: null, aliases: [], byMentionText: false, seenAt: { file: fileName, line } });
      addEntityRef(dataset.entities, { key: `id:${target.id}`, name: target.name, type: null, aliases: [], byMentionText: false, seenAt: { file: fileName, line } });
      annotations.push({
        sourceId: id,
        layer,
        kind: "stance",
        start,
        end,
        quote: a.quote,
        entityType: null,
        entityKey: null,
        stance: { holderKey: `id:${holder.id}`, targetKey: `id:${target.id}`, polarity: a.stance.polarity },
        derivedFrom: derived,
        file: fileName,
        line,
      });
    }
  }
  return { title: record.title, source: isString(record.source) && record.source.trim() ? record.source : null, text, annotations, file: fileName, line };
}

/**
 * Parses a native .jsonl export. Throws ImportInputError listing (up to 20) problems, each naming the file and
 * line: not UTF-8, not JSON, no header, a wrong text hash, an offset that does not slice to its quote.
 */
export function parseDatasetJsonl(bytes: Uint8Array, fileName: string): ImportDataset {
  let content: string;
  try {
    content = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ImportInputError([{ file: fileName, message: "is not UTF-8 text. A Spanlight .jsonl export is UTF-8; upload the file as exported." }]);
  }
  if (content.charCodeAt(0) === 0xfeff) content = content.slice(1);
  const dataset: ImportDataset = { format: "jsonl", articles: [], entities: new Map(), notes: [] };
  const problems: ImportProblem[] = [];
  let sawHeader = false;
  let lineStart = 0;
  for (let line = 1; lineStart <= content.length && problems.length < maxProblems; line++) {
    let lineEnd = content.indexOf("\n", lineStart);
    if (lineEnd < 0) lineEnd = content.length;
    const raw = content.slice(lineStart, lineEnd).replace(/\r$/, "");
    lineStart = lineEnd + 1;
    if (!raw.trim()) continue;
    try {
      if (raw.length > maxJsonlLineBytes / 3 && utf8ByteLength(raw) > maxJsonlLineBytes) fail(`the line is longer than ${maxJsonlLineBytes / 1024 / 1024} MB.`);
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch (error) {
        fail(`not valid JSON (${error instanceof SyntaxError ? error.message : "parse error"}).`);
      }
      if (!isObject(value)) fail("each line must be one JSON object.");
      // NUL and lone surrogates reach parsed strings only as escapes (\u0000, \ud800): look only then.
      const unstorable = /\\u(0000|[dD][89a-fA-F])/.test(raw) ? unstorableString(value) : null;
      if (unstorable !== null) fail(`${unstorable.path || "the line"} ${unstorable.reason}`);
      if (!sawHeader) {
        if (value.type !== "header" || value.schema !== "spanlight.dataset") {
          fail('the first line must be the header of a Spanlight dataset export ({"type":"header","schema":"spanlight.dataset",…}). Plain {"title","text"} lines are imported on the Articles page.');
        }
        if (value.schemaVersion !== 1) fail(`schemaVersion ${JSON.stringify(value.schemaVersion)} is not supported; this Spanlight reads schemaVersion 1.`);
        sawHeader = true;
        continue;
      }
      if (value.type !== "article") fail(`expected an article record ({"type":"article",…}), found type ${JSON.stringify(value.type)}.`);
      if (dataset.articles.length >= maxArticlesPerDatasetFile) fail(`the file holds more than ${maxArticlesPerDatasetFile} articles; split it into several files.`);
      dataset.articles.push(readArticle(value, fileName, line, dataset));
    } catch (error) {
      if (!(error instanceof LineError)) throw error;
      problems.push({ file: fileName, line, message: error.message });
    }
  }
  if (!problems.length && !sawHeader) problems.push({ file: fileName, message: "is empty: a Spanlight .jsonl export starts with a header line." });
  if (!problems.length && !dataset.articles.length) problems.push({ file: fileName, message: "holds a header but no article records." });
  if (problems.length) throw new ImportInputError(problems);
  return dataset;
}
