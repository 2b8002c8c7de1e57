import { strFromU8, unzipSync } from "fflate";
import fc from "fast-check";
import { beforeAll, expect, test } from "vitest";
import { GET as exportRoute } from "@/app/api/projects/[id]/export/route";
import { POST as importRoute } from "@/app/api/projects/[id]/import/route";
import { db } from "@/lib/db";
import { callRoute } from "../helpers/api";
import { buildArticle, buildEntity, buildProject, buildUser, type TestUser } from "../helpers/factories";

/*
 * Round trip, property-tested on generated projects (texts with emoji, CJK, combining marks and curly quotes; random
 * mentions, nested and overlapping; random stances; gold items derived from annotator annotations), on a real
 * database through the route handlers: export → import into an empty project → export gives the same records.
 *
 * What may differ, and is normalised away before comparing:
 * - ids of articles, annotations and entities (entities are compared by type and name; derived_from by the
 *   annotations they point to; brat file names and `Registry:<id>` likewise);
 * - created_at / updated_at, and the header's project id and name and exportedAt;
 * - the order of annotations with the same start and end (the export breaks such ties by id): jsonl annotations
 *   are compared as sorted lists, and the generator gives no two annotations of one layer the same span and kind.
 * Annotator ids stay the same: the empty project has the same members (an export of this Spanlight keeps user ids).
 */

let owner: TestUser;
let ana: TestUser;
let ben: TestUser;

beforeAll(async () => {
  [owner, ana, ben] = await Promise.all([buildUser({ name: "Owner" }), buildUser({ name: "Ana" }), buildUser({ name: "Ben" })]);
});

const entityPool = [
  { name: "François Hollande", type: "PER", aliases: ["Hollande", "Олланд"] },
  { name: "Vladimir Putin", type: "PER", aliases: ["普京"] },
  { name: "Moscow 🇷🇺", type: "LOC", aliases: [] },
  { name: "Café de Flore", type: "ORG", aliases: ["cafe\u0301"] },
  { name: "北京", type: "LOC", aliases: ["Peking"] },
];
const tokens = ["Hollande", "普京", "met", "in", "Moscow", "🇫🇷", "👍🏽", "cafe\u0301", "“deal”", "日本語", "e\u0301te\u0301", "said", "Ä", "no.", "‘yes’"];
const separators = [" ", " ", " ", "\n", ", "];

interface SpanSpec {
  from: number;
  length: number;
  layer: number; // 0 gold, 1 ana, 2 ben
}
const spanArb = fc.record({ from: fc.nat(40), length: fc.integer({ min: 1, max: 4 }), layer: fc.integer({ min: 0, max: 2 }) });
const articleArb = fc.record({
  words: fc.array(fc.record({ token: fc.constantFrom(...tokens), separator: fc.constantFrom(...separators) }), { minLength: 3, maxLength: 24 }),
  mentions: fc.array(fc.record({ span: spanArb, entity: fc.nat(entityPool.length - 1) }), { maxLength: 8 }),
  stances: fc.array(fc.record({ span: spanArb, holder: fc.nat(20), target: fc.nat(20), polarity: fc.constantFrom("FAVOR", "AGAINST", "NEUTRAL") }), { maxLength: 3 }),
  derive: fc.boolean(),
});
const projectArb = fc.array(articleArb, { minLength: 1, maxLength: 3 });

type Spec = typeof projectArb extends fc.Arbitrary<infer T> ? T : never;

/** Builds the generated project: articles, the entity pool, annotations straight into the database. */
async function buildSource(spec: Spec) {
  const project = await buildProject(owner, [
    { user: ana, role: "annotator" },
    { user: ben, role: "annotator" },
  ]);
  const types = new Map((await db.entityType.findMany({ where: { projectId: project.id } })).map((t) => [t.name, t.id]));
  const polarities = new Map((await db.stancePolarity.findMany({ where: { projectId: project.id } })).map((p) => [p.name, p.id]));
  const entities = [];
  for (const entity of entityPool) entities.push(await buildEntity(owner, project.id, entity));
  const users = [null, ana.id, ben.id];
  for (const [index, articleSpec] of spec.entries()) {
    const starts: number[] = [];
    const ends: number[] = [];
    let text = "";
    for (const [i, word] of articleSpec.words.entries()) {
      starts.push(text.length);
      text += word.token;
      ends.push(text.length);
      if (i < articleSpec.words.length - 1) text += word.separator;
    }
    const article = await buildArticle(owner, project.id, { title: `Article ${index + 1} “${articleSpec.words[0]!.token}”`, text });
    const version = await db.articleVersion.findFirstOrThrow({ where: { articleId: article.id }, select: { id: true } });
    const span = ({ from, length }: SpanSpec) => {
      const first = from % starts.length;
      const last = Math.min(first + length - 1, starts.length - 1);
      return { start: starts[first]!, end: ends[last]!, quote: text.slice(starts[first]!, ends[last]!) };
    };
    const seen = new Set<string>();
    const fresh = (kind: string, layer: number, s: { start: number; end: number }) => {
      const key = `${kind}:${layer}:${s.start}:${s.end}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    };
    const base = (layer: number) => ({ projectId: project.id, articleId: article.id, articleVersionId: version.id, layer: layer === 0 ? ("gold" as const) : ("user" as const), userId: users[layer]!, createdById: owner.id, updatedById: owner.id });
    const userIds: string[] = [];
    const mentioned: number[] = [];
    for (const mention of articleSpec.mentions) {
      const s = span(mention.span);
      if (!fresh("entity", mention.span.layer, s)) continue;
      const entity = entities[mention.entity]!;
      const row = await db.annotation.create({ data: { ...base(mention.span.layer), kind: "entity", ...s, entityTypeId: types.get(entity.type)!, entityId: entity.id, derivedFromIds: mention.span.layer === 0 && articleSpec.derive ? userIds.slice(-2) : [] } });
      if (mention.span.layer !== 0) userIds.push(row.id);
      mentioned.push(mention.entity);
    }
    if (!mentioned.length) continue; // stances name entities that are mentioned somewhere (else their type is unknown to an import)
    for (const stance of articleSpec.stances) {
      const s = span(stance.span);
      if (!fresh("stance", stance.span.layer, s)) continue;
      await db.annotation.create({
        data: {
          ...base(stance.span.layer),
          kind: "stance",
          ...s,
          holderEntityId: entities[mentioned[stance.holder % mentioned.length]!]!.id,
          targetEntityId: entities[mentioned[stance.target % mentioned.length]!]!.id,
          polarityId: polarities.get(stance.polarity)!,
          derivedFromIds: stance.span.layer === 0 && articleSpec.derive ? userIds.slice(0, 1) : [],
        },
      });
    }
  }
  return project.id;
}

async function emptyProject() {
  const project = await buildProject(owner, [
    { user: ana, role: "annotator" },
    { user: ben, role: "annotator" },
  ]);
  return project.id;
}

async function exportOf(projectId: string, format: "jsonl" | "brat"): Promise<Uint8Array> {
  const request = new Request(`http://localhost/api/projects/${projectId}/export?format=${format}&layer=all`, { headers: { cookie: owner.cookie } });
  const response = await exportRoute(request, { params: Promise.resolve({ id: projectId }) });
  expect(response.status).toBe(200);
  return new Uint8Array(await response.arrayBuffer());
}

async function importInto(projectId: string, name: string, bytes: Uint8Array) {
  const form = new FormData();
  form.append("file", new File([new Uint8Array(bytes)], name));
  const response = await callRoute(importRoute, "POST", `/api/projects/${projectId}/import`, { params: { id: projectId }, body: form, as: owner.cookie });
  if (response.status !== 201 || response.body.refused.length) throw new Error(`import refused: ${JSON.stringify(response.body)}`);
  return response.body;
}

/** entity id → "TYPE/name" for the projects given. */
async function entityNames(...projectIds: string[]) {
  const rows = await db.entity.findMany({ where: { projectId: { in: projectIds } }, select: { id: true, name: true, entityType: { select: { name: true } } } });
  return new Map(rows.map((row) => [row.id, `${row.entityType.name}/${row.name}`]));
}

/** The jsonl records with ids, timestamps and export metadata replaced by what they stand for. */
function normaliseJsonl(body: Uint8Array, names: Map<string, string>) {
  const [header, ...records] = strFromU8(body).trim().split("\n").map((line) => JSON.parse(line));
  const { project: _project, exportedAt: _at, ...restHeader } = header;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON records
  type A = Record<string, any>;
  return {
    header: restHeader,
    records: records.map(({ id: _id, annotations, ...record }: { id: string; annotations: A[] }) => {
      const keyOf = (a: A) => JSON.stringify([a.layer, a.annotator?.id ?? null, a.kind, a.start_utf16, a.end_utf16, a.entity_type, a.entity ? names.get(a.entity.id) : null, a.stance ? [a.stance.holder.name, a.stance.target.name, a.stance.polarity] : null]);
      const keyById = new Map(annotations.map((a) => [a.id, keyOf(a)]));
      const normalised = annotations.map(({ id: _aid, created_at: _c, updated_at: _u, derived_from, entity, stance, ...a }) => ({
        ...a,
        entity: entity ? { ...entity, id: names.get(entity.id) } : null,
        stance: stance ? { holder: names.get(stance.holder.id), target: names.get(stance.target.id), polarity: stance.polarity } : null,
        derived_from: (derived_from as string[]).map((id) => keyById.get(id) ?? "(not exported)").sort(),
      }));
      return { ...record, annotations: normalised.sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1)) };
    }),
  };
}

/** The brat zip's files with article and entity ids replaced. */
function normaliseBrat(body: Uint8Array, names: Map<string, string>) {
  const files = unzipSync(body);
  return Object.fromEntries(
    Object.entries(files)
      .map(([name, content]) => [
        name.replace(/-c[a-z0-9]{20,40}(\.(?:txt|ann))$/, "-ID$1"),
        strFromU8(content).replace(/Registry:([a-z0-9]+)/g, (_m, id: string) => `Registry:${names.get(id) ?? id}`),
      ])
      .sort(([a], [b]) => (a! < b! ? -1 : 1)),
  );
}

let totals = { runs: 0, annotations: 0, stances: 0, gold: 0, derived: 0 };

test("jsonl: export → import into an empty project → export is the same records, ids aside", async () => {
  totals = { runs: 0, annotations: 0, stances: 0, gold: 0, derived: 0 };
  await fc.assert(
    fc.asyncProperty(projectArb, async (spec) => {
      const source = await buildSource(spec);
      const first = await exportOf(source, "jsonl");
      const target = await emptyProject();
      await importInto(target, "dataset.jsonl", first);
      const second = await exportOf(target, "jsonl");
      const names = await entityNames(source, target);
      const expected = normaliseJsonl(first, names);
      expect(normaliseJsonl(second, names)).toEqual(expected);
      const all = expected.records.flatMap((record) => record.annotations) as unknown as { kind: string; layer: string; derived_from: string[] }[];
      totals.runs++;
      totals.annotations += all.length;
      totals.stances += all.filter((a) => a.kind === "stance").length;
      totals.gold += all.filter((a) => a.layer === "gold").length;
      totals.derived += all.filter((a) => a.derived_from.length > 0).length;
      // and the entity registry came along with its aliases
      const aliases = async (projectId: string) => (await db.entity.findMany({ where: { projectId, OR: [{ mentions: { some: {} } }, { stancesAsHolder: { some: {} } }] }, select: { name: true, aliases: true }, orderBy: { name: "asc" } }));
      expect(await aliases(target)).toEqual(await aliases(source));
    }),
    { numRuns: 10 },
  );
  // The generated projects were not trivial.
  expect(totals.runs).toBe(10);
  expect(totals.annotations).toBeGreaterThan(20);
  expect(totals.stances).toBeGreaterThan(0);
  expect(totals.derived).toBeGreaterThan(0);
}, 300_000);

test("brat: export → import into an empty project → export is the same files, ids aside", async () => {
  await fc.assert(
    // A project without a single annotation exports as a collection without layers, which is nothing to import (and
    // the source makes stances only in articles with mentions).
    fc.asyncProperty(
      projectArb.filter((spec) => spec.some((article) => article.mentions.length > 0)),
      async (spec) => {
      const source = await buildSource(spec);
      const first = await exportOf(source, "brat");
      const target = await emptyProject();
      await importInto(target, "dataset.zip", first);
      const second = await exportOf(target, "brat");
      const names = await entityNames(source, target);
      expect(normaliseBrat(second, names)).toEqual(normaliseBrat(first, names));
      },
    ),
    { numRuns: 10 },
  );
}, 300_000);
