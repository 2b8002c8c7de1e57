/*
 * A brat collection in a zip → the import model. Guards first: entry names that climb out of the archive
 * (`..`, absolute paths, drive letters, backslashes) refuse the zip, as do more than maxZipEntries entries or more
 * than maxZipUncompressedBytes once unpacked; a corrupt zip is refused with fflate's reason. Pure.
 *
 * Layout: `.txt` + `.ann` pairs at any folder depth (`annotation.conf` and the other brat confs are ignored).
 * A Spanlight `layer=all` export (every text in a first-level folder `gold/` or `<annotator-slug>-<userId>/`) is read
 * layer by layer: the same file name in several layer folders is one article. Otherwise every pair is one article
 * in the layer chosen for the upload.
 */
import { unzipSync } from "fflate";
import { maxZipEntries, maxZipUncompressedBytes } from "@/lib/validation/dataset-import";
import { readBratPair, type ProjectLabels } from "./brat";
import { ImportInputError, type ImportArticle, type ImportDataset, type ImportProblem, type SourceLayer } from "./model";

const ignoredNames = /(^|\/)(__MACOSX\/|\.DS_Store$|\._|Thumbs\.db$)/;
const confNames = new Set(["annotation.conf", "visual.conf", "tools.conf", "kb_shortcuts.conf"]);
/** A layer folder of a Spanlight `layer=all` export: `gold`, or an annotator's slug and user id. */
const layerFolder = /^(?:gold|([a-z0-9-]*)-([a-z0-9]{20,40}))$/;
/** A Spanlight export's file stem: the title's slug, then the article id. */
const spanlightStem = /^(.+)-(c[a-z0-9]{20,40})$/;

/** Why a zip entry name is refused, or null. */
export function unsafeEntryName(name: string): string | null {
  if (name.includes("\\")) return "contains a backslash";
  if (name.startsWith("/")) return "is an absolute path";
  if (/^[a-zA-Z]:/.test(name)) return "starts with a drive letter";
  if (name.includes("\u0000")) return "contains a NUL character";
  if (name.split("/").some((part) => part === "..")) return "climbs out of the archive (..)";
  return null;
}

/** The entries of a zip (files only), guarded. Throws ImportInputError naming the zip. */
export function unzipGuarded(bytes: Uint8Array, zipName: string): Map<string, Uint8Array> {
  let entries = 0;
  let declared = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter(info) {
        const reason = unsafeEntryName(info.name);
        if (reason) throw new ImportInputError([{ file: `${zipName}:${info.name}`, message: `the entry name ${reason}; the zip is refused.` }]);
        if (info.name.endsWith("/")) return false;
        entries++;
        if (entries > maxZipEntries) throw new ImportInputError([{ file: zipName, message: `holds more than ${maxZipEntries} entries; split the collection into several zips.` }]);
        declared += info.originalSize;
        if (declared > maxZipUncompressedBytes) {
          throw new ImportInputError([{ file: zipName, message: `unpacks to more than ${maxZipUncompressedBytes / 1024 / 1024} MB; split the collection into several zips.` }]);
        }
        return !ignoredNames.test(info.name);
      },
    });
  } catch (error) {
    if (error instanceof ImportInputError) throw error;
    throw new ImportInputError([{ file: zipName, message: `is not a readable zip archive (${error instanceof Error ? error.message : String(error)}). Zip the collection again and upload that.` }]);
  }
  let total = 0;
  const result = new Map<string, Uint8Array>();
  for (const [name, content] of Object.entries(files)) {
    total += content.byteLength;
    if (total > maxZipUncompressedBytes) throw new ImportInputError([{ file: zipName, message: `unpacks to more than ${maxZipUncompressedBytes / 1024 / 1024} MB.` }]);
    result.set(name, content);
  }
  return result;
}

function decode(bytes: Uint8Array, name: string, problems: ImportProblem[]): string | null {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    if (text.includes("\u0000")) {
      problems.push({ file: name, message: "contains NUL characters (U+0000): it looks binary, not like a text file." });
      return null;
    }
    return text;
  } catch {
    problems.push({ file: name, message: "is not UTF-8 text. brat files are UTF-8; save it as UTF-8." });
    return null;
  }
}

/** The article title for a file stem: a Spanlight export's slug (without the id), else the path without extension. */
export function titleOfStem(stem: string): string {
  const base = stem.slice(stem.lastIndexOf("/") + 1);
  const spanlight = spanlightStem.exec(base);
  return spanlight ? spanlight[1]! : stem;
}

/**
 * Parses a brat zip. `labels` are the project's entity types and polarities (unknown ones are refused line by
 * line). Throws ImportInputError with every problem found (file inside the zip and line).
 */
export function parseBratZip(bytes: Uint8Array, zipName: string, labels: ProjectLabels): ImportDataset {
  const entries = unzipGuarded(bytes, zipName);
  const dataset: ImportDataset = { format: "brat", articles: [], entities: new Map(), notes: [] };
  const problems: ImportProblem[] = [];

  // A collection zipped with its folder: strip the one folder everything is in.
  let names = [...entries.keys()];
  const firstSegments = new Set(names.map((name) => (name.includes("/") ? name.slice(0, name.indexOf("/") + 1) : "")));
  let prefix = "";
  if (firstSegments.size === 1 && !firstSegments.has("") && !layerFolder.test([...firstSegments][0]!.slice(0, -1))) prefix = [...firstSegments][0]!;
  names = names.map((name) => name.slice(prefix.length));
  const content = (name: string) => entries.get(prefix + name)!;

  const txts = new Map<string, string>();
  const anns = new Map<string, string>();
  let others = 0;
  for (const name of names) {
    const base = name.slice(name.lastIndexOf("/") + 1);
    if (confNames.has(base)) continue;
    if (name.endsWith(".txt")) txts.set(name.slice(0, -4), name);
    else if (name.endsWith(".ann")) anns.set(name.slice(0, -4), name);
    else others++;
  }
  if (others) dataset.notes.push(`${zipName}: ${others} file(s) other than .txt, .ann and brat's .conf were skipped.`);
  for (const [stem, name] of anns) if (!txts.has(stem)) problems.push({ file: `${zipName}:${prefix}${name}`, message: `has no ${stem.slice(stem.lastIndexOf("/") + 1)}.txt beside it.` });
  if (!txts.size) problems.push({ file: zipName, message: "holds no .txt files: a brat collection is .txt and .ann pairs." });

  const stems = [...txts.keys()].sort();
  const isLayered = stems.length > 0 && stems.every((stem) => stem.split("/").length === 2 && layerFolder.test(stem.split("/")[0]!));
  const groups = new Map<string, { stem: string; layer: SourceLayer }[]>();
  for (const stem of stems) {
    let key = stem;
    let layer: SourceLayer = { kind: "default" };
    if (isLayered) {
      const [folder, rest] = stem.split("/") as [string, string];
      key = rest;
      const m = layerFolder.exec(folder)!;
      layer = folder === "gold" ? { kind: "gold" } : { kind: "user", annotator: { id: m[2]!, name: null, slug: m[1]! } };
    }
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push({ stem, layer });
  }

  for (const [key, members] of groups) {
    let article: ImportArticle | null = null;
    for (const { stem, layer } of members) {
      const txtName = `${zipName}:${prefix}${txts.get(stem)}`;
      const rawText = decode(content(txts.get(stem)!), txtName, problems);
      if (rawText === null) continue;
      const annPath = anns.get(stem);
      const annName = annPath ? `${zipName}:${prefix}${annPath}` : null;
      const ann = annPath ? decode(content(annPath), annName!, problems) : null;
      if (annPath && ann === null) continue;
      const { text, annotations } = readBratPair({ txtName, annName, rawText, ann, layer }, labels, dataset, problems);
      if (!article) {
        if (!text.trim()) {
          problems.push({ file: txtName, message: "is empty." });
          continue;
        }
        article = { title: titleOfStem(key), source: null, text, annotations: [], file: txtName };
        dataset.articles.push(article);
      } else if (article.text !== text) {
        problems.push({ file: txtName, message: `differs from ${article.file}: the same article in two layer folders must have the same text.` });
        continue;
      }
      article.annotations.push(...annotations);
    }
  }
  if (problems.length) throw new ImportInputError(problems.slice(0, 50));
  return dataset;
}
