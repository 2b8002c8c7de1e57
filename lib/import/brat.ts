/*
 * Reads one brat standoff pair (`.txt` + `.ann`, https://brat.nlplab.org/standoff.html) into the import model.
 * Offsets in `.ann` files are Unicode code points over the `.txt` as it is; they become UTF-16 offsets over the
 * canonical text (CRLF → LF, no BOM). Pure.
 * - `T` lines of a project entity type are mentions; `T` lines of type `Stance` (when no entity type has that name)
 *   are stance triggers. Discontinuous `s e;s e` fragments become one span from the first start to the last end when
 *   only white space separates them, else the line is refused. The line's text must be the text at the offsets
 *   (brat's convention: fragments joined by one space).
 * - `N … Reference T1 DB:ID\tname` ties the mention to the canonical entity `DB:ID` (one per reference, named by
 *   the N line); a mention without one finds or creates an entity by its text.
 * - `E … Stance:T5 Holder:T1 Target:T2` with `A … Polarity E1 VALUE`: a stance whose holder and target are the
 *   entities of those mentions, or, without the argument, the entity an `AnnotatorNotes` line names
 *   (`Holder: <name> (Registry:<id>)`, as the export writes it).
 * - `R`, `M`, other attributes and notes are skipped (counted in the notes).
 */
import { canonicalizeText, utf8ByteLength } from "@/lib/text/canonical";
import { entityNameKey } from "@/lib/validation/entity";
import { maxAnnLineBytes } from "@/lib/validation/dataset-import";
import { createUtf16Mapper } from "./code-points";
import { matchLabel } from "./labels";
import { addEntityRef, type ImportAnnotation, type ImportDataset, type ImportProblem, type SourceLayer } from "./model";

export interface ProjectLabels {
  entityTypes: readonly string[];
  polarities: readonly string[];
}

/** Raw (as in the file) UTF-16 offsets → canonical-text offsets; identity when the text is already canonical. */
function canonicalOffsets(raw: string): (offset: number) => number {
  if (!raw.includes("\r") && raw.charCodeAt(0) !== 0xfeff) return (offset) => offset;
  const map = new Int32Array(raw.length + 1);
  let canonical = 0;
  for (let i = 0; i < raw.length; i++) {
    map[i] = canonical;
    const dropped = (i === 0 && raw.charCodeAt(0) === 0xfeff) || (raw[i] === "\r" && raw[i + 1] === "\n");
    if (!dropped) canonical++;
  }
  map[raw.length] = canonical;
  return (offset) => map[offset]!;
}

const BREAKS = /[\t\n\r\u0085\u2028\u2029]+/g;

interface Mention {
  id: string;
  line: number;
  trigger: boolean;
  start: number;
  end: number;
  quote: string;
  type: string;
  entityKey: string | null;
}

export interface BratPair {
  /** name of the .txt / .ann for messages (inside a zip: `corpus.zip:docs/a.ann`) */
  txtName: string;
  annName: string | null;
  rawText: string;
  ann: string | null;
  layer: SourceLayer;
}

/**
 * Reads one pair into annotations (UTF-16 over the canonical text), adding entity references to `dataset`.
 * Problems go to `problems` (file and line); the annotations of a pair with problems are not to be used.
 */
export function readBratPair(pair: BratPair, labels: ProjectLabels, dataset: ImportDataset, problems: ImportProblem[]): { text: string; annotations: ImportAnnotation[] } {
  const text = canonicalizeText(pair.rawText);
  const annotations: ImportAnnotation[] = [];
  if (pair.ann === null || pair.annName === null) return { text, annotations };
  const file = pair.annName;
  const toUtf16 = createUtf16Mapper(pair.rawText);
  const toCanonical = canonicalOffsets(pair.rawText);
  const problem = (line: number, message: string) => problems.push({ file, line, message });
  const mentions = new Map<string, Mention>();
  const references = new Map<string, { key: string; line: number }>();
  const events: { id: string; line: number; trigger: string; holder: string | null; target: string | null }[] = [];
  const polarities = new Map<string, { value: string; line: number }>();
  const notes = new Map<string, string>();
  let skipped = 0;

  const lines = pair.ann.split("\n");
  for (const [index, rawLine] of lines.entries()) {
    const line = index + 1;
    const content = rawLine.replace(/\r$/, "");
    if (!content.trim()) continue;
    if (content.length > maxAnnLineBytes / 3 && utf8ByteLength(content) > maxAnnLineBytes) {
      problem(line, `the line is longer than ${maxAnnLineBytes / 1024 / 1024} MB.`);
      continue;
    }
    const [id = "", middle = "", ...rest] = content.split("\t");
    const lineText = rest.join("\t");
    switch (id[0]) {
      case "T": {
        const match = /^(\S+) (\d+ \d+(?:;\d+ \d+)*)$/.exec(middle);
        if (!match) {
          problem(line, `${id}: expected "${id}\\t<type> <start> <end>\\t<text>", found ${JSON.stringify(middle)}.`);
          break;
        }
        const label = match[1]!;
        const type = matchLabel(label, labels.entityTypes);
        const isTrigger = !type && label === "Stance";
        if (!type && !isTrigger) {
          problem(line, `${id}: unknown entity type ${JSON.stringify(label)}; this project's entity types are ${labels.entityTypes.join(", ")}. Add the type in the project's settings, or rename it in the file.`);
          break;
        }
        const fragments = match[2]!.split(";").map((pairText) => pairText.split(" ").map(Number) as [number, number]);
        const utf16: [number, number][] = [];
        let bad = false;
        for (const [start, end] of fragments) {
          const s = toUtf16(start);
          const e = toUtf16(end);
          if (s === null || e === null || start >= end) {
            problem(line, `${id}: the offsets ${start} ${end} are not a span of the text (${Array.from(pair.rawText).length} code points).`);
            bad = true;
            break;
          }
          utf16.push([s, e]);
        }
        if (bad) break;
        for (let i = 1; i < utf16.length; i++) {
          if (utf16[i]![0] < utf16[i - 1]![1]) {
            problem(line, `${id}: the fragments overlap or are out of order.`);
            bad = true;
            break;
          }
          const gap = pair.rawText.slice(utf16[i - 1]![1], utf16[i]![0]);
          if (/\S/u.test(gap)) {
            problem(line, `${id}: a discontinuous span whose fragments are separated by text (${JSON.stringify(gap.slice(0, 40))}) cannot be imported: Spanlight spans are contiguous. Split it into separate mentions.`);
            bad = true;
            break;
          }
        }
        if (bad) break;
        const pieces = utf16.map(([s, e]) => pair.rawText.slice(s, e));
        const whole = pair.rawText.slice(utf16[0]![0], utf16.at(-1)![1]);
        const accepted = [pieces.join(" "), pieces.join(""), whole, whole.replace(BREAKS, " ")];
        if (!accepted.includes(lineText) && !accepted.map((value) => value.replace(BREAKS, " ")).includes(lineText.replace(BREAKS, " "))) {
          problem(line, `${id}: the text ${JSON.stringify(lineText)} does not match the text at offsets ${match[2]}, which is ${JSON.stringify(pieces.join(" "))}.`);
          break;
        }
        const start = toCanonical(utf16[0]![0]);
        const end = toCanonical(utf16.at(-1)![1]);
        mentions.set(id, { id, line, trigger: isTrigger, start, end, quote: text.slice(start, end), type: type ?? label, entityKey: null });
        break;
      }
      case "N": {
        const match = /^Reference (T\S+) (\S+?:\S+)$/.exec(middle);
        if (!match) {
          problem(line, `${id}: expected "${id}\\tReference T<n> <DB>:<ID>\\t<name>".`);
          break;
        }
        if (references.has(match[1]!)) {
          skipped++;
          break;
        }
        references.set(match[1]!, { key: match[2]!, line });
        notes.set(`N:${match[1]}`, lineText);
        break;
      }
      case "E": {
        const [head, ...args] = middle.split(" ").filter(Boolean);
        const trigger = /^Stance\d*:(T\S+)$/.exec(head ?? "");
        if (!trigger) {
          skipped++;
          break;
        }
        let holder: string | null = null;
        let target: string | null = null;
        let bad = false;
        for (const arg of args) {
          const m = /^(Holder|Target)\d*:(T\S+)$/.exec(arg);
          if (!m) {
            problem(line, `${id}: unknown stance argument ${JSON.stringify(arg)}; a stance event has Holder: and Target: arguments.`);
            bad = true;
            break;
          }
          if (m[1] === "Holder") holder = m[2]!;
          else target = m[2]!;
        }
        if (!bad) events.push({ id, line, trigger: trigger[1]!, holder, target });
        break;
      }
      case "A":
      case "M": {
        const m = /^Polarity (E\S+) (\S+)$/.exec(middle);
        if (!m) {
          skipped++;
          break;
        }
        polarities.set(m[1]!, { value: m[2]!, line });
        break;
      }
      case "#": {
        const m = /^AnnotatorNotes (E\S+)$/.exec(middle);
        if (m) notes.set(m[1]!, lineText);
        else skipped++;
        break;
      }
      case "R":
      case "*":
        skipped++;
        break;
      default:
        problem(line, `unrecognised line ${JSON.stringify(content.slice(0, 60))}: brat lines start with T, N, E, A, M, R, * or #, then an id and a tab.`);
    }
  }

  // Mentions and their entities.
  for (const mention of mentions.values()) {
    if (mention.trigger) continue;
    const reference = references.get(mention.id);
    if (reference) {
      const name = (notes.get(`N:${mention.id}`) ?? "").trim() || mention.quote.trim();
      mention.entityKey = addEntityRef(dataset.entities, { key: `ref:${reference.key}`, name, type: mention.type, aliases: [], byMentionText: false, seenAt: { file, line: mention.line } }).key;
    } else {
      mention.entityKey = addEntityRef(dataset.entities, { key: `text:${mention.type}:${entityNameKey(mention.quote)}`, name: mention.quote.trim(), type: mention.type, aliases: [], byMentionText: true, seenAt: { file, line: mention.line } }).key;
    }
    annotations.push({
      sourceId: `${file}#${mention.id}`,
      layer: pair.layer,
      kind: "entity",
      start: mention.start,
      end: mention.end,
      quote: mention.quote,
      entityType: mention.type,
      entityKey: mention.entityKey,
      stance: null,
      derivedFrom: [],
      file,
      line: mention.line,
    });
  }
  for (const [tId, reference] of references) {
    if (!mentions.has(tId)) problem(reference.line, `the normalization refers to ${tId}, which is not an entity mention of this file.`);
  }

  // Stances.
  const usedTriggers = new Set<string>();
  /** The entity an AnnotatorNotes line names for a missing argument: `Holder: <name> (DB:ID)`. */
  const fromNotes = (eventId: string, role: "Holder" | "Target"): string | null => {
    const note = notes.get(eventId);
    if (!note) return null;
    for (const part of note.split(";")) {
      const m = new RegExp(`^\\s*${role}:\\s*(.*?)\\s*(?:\\((\\S+?:\\S+)\\))?\\s*$`).exec(part);
      if (!m || !m[1]) continue;
      const key = m[2] ? `ref:${m[2]}` : `name:${entityNameKey(m[1])}`;
      return addEntityRef(dataset.entities, { key, name: m[1], type: null, aliases: [], byMentionText: false, seenAt: { file, line: events.find((e) => e.id === eventId)?.line ?? 0 } }).key;
    }
    return null;
  };
  for (const event of events) {
    const trigger = mentions.get(event.trigger);
    if (!trigger || !trigger.trigger) {
      problem(event.line, `${event.id}: the stance's trigger ${event.trigger} is not a "Stance" text-bound annotation of this file.`);
      continue;
    }
    usedTriggers.add(trigger.id);
    const roleKey = (role: "Holder" | "Target", argument: string | null): string | null => {
      if (argument === null) return fromNotes(event.id, role);
      const mention = mentions.get(argument);
      if (!mention || mention.trigger || !mention.entityKey) {
        problem(event.line, `${event.id}: the ${role.toLowerCase()} ${argument} is not an entity mention of this file.`);
        return null;
      }
      return mention.entityKey;
    };
    const holderKey = roleKey("Holder", event.holder);
    const targetKey = roleKey("Target", event.target);
    if (!holderKey || !targetKey) {
      if ((!holderKey && event.holder === null) || (!targetKey && event.target === null)) {
        problem(event.line, `${event.id}: the stance names no ${!holderKey ? "holder" : "target"} (no ${!holderKey ? "Holder" : "Target"}: argument and no AnnotatorNotes line naming one).`);
      }
      continue;
    }
    const polarity = polarities.get(event.id);
    if (!polarity) {
      problem(event.line, `${event.id}: the stance has no "Polarity ${event.id} <value>" attribute line.`);
      continue;
    }
    const value = matchLabel(polarity.value, labels.polarities);
    if (!value) {
      problem(polarity.line, `unknown polarity ${JSON.stringify(polarity.value)}; this project's polarities are ${labels.polarities.join(", ")}.`);
      continue;
    }
    annotations.push({
      sourceId: `${file}#${event.id}`,
      layer: pair.layer,
      kind: "stance",
      start: trigger.start,
      end: trigger.end,
      quote: trigger.quote,
      entityType: null,
      entityKey: null,
      stance: { holderKey, targetKey, polarity: value },
      derivedFrom: [],
      file,
      line: event.line,
    });
  }
  const unusedTriggers = [...mentions.values()].filter((mention) => mention.trigger && !usedTriggers.has(mention.id)).length;
  if (unusedTriggers) dataset.notes.push(`${file}: ${unusedTriggers} Stance trigger(s) without an event were skipped.`);
  if (skipped) dataset.notes.push(`${file}: ${skipped} line(s) Spanlight does not keep (relations, other attributes or notes) were skipped.`);
  annotations.sort((a, b) => a.start - b.start || a.end - b.end);
  return { text, annotations };
}
