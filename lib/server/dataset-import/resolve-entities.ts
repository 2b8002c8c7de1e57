import "server-only";
import type { DbTransaction } from "@/lib/db";
import { ImportInputError, type EntityRef, type ImportDataset, type ImportProblem } from "@/lib/import/model";
import { lockEntityType } from "@/lib/server/entities/entity-types";
import { entityNameKey, normalizeAliases } from "@/lib/validation/entity";
import { constantColumn, insertRows, textArrayColumn, type BulkColumn } from "./bulk-insert";
import { newId } from "./ids";

interface KnownEntity {
  id: string;
  name: string;
  nameKey: string;
  aliases: string[];
  aliasKeys: Set<string>;
  entityTypeId: string;
  isNew: boolean;
  /** its place in the registry's order (oldest first, then those created by this import) */
  order: number;
}

/**
 * The project's entities with indexes by name and by alias, so that resolving thousands of references does not
 * scan the whole registry for each. Lookups give what a scan in registry order would give.
 */
class EntityRegistry {
  readonly entities: KnownEntity[] = [];
  private readonly byTypeAndName = new Map<string, KnownEntity>();
  private readonly byName = new Map<string, KnownEntity[]>();
  private readonly byAliasKey = new Map<string, Set<KnownEntity>>();

  add(entity: Omit<KnownEntity, "nameKey" | "aliasKeys" | "order">): KnownEntity {
    const known: KnownEntity = { ...entity, nameKey: entityNameKey(entity.name), aliasKeys: new Set(), order: this.entities.length };
    this.entities.push(known);
    const typeAndName = `${known.entityTypeId}\u0000${known.nameKey}`;
    if (!this.byTypeAndName.has(typeAndName)) this.byTypeAndName.set(typeAndName, known);
    let named = this.byName.get(known.nameKey);
    if (!named) this.byName.set(known.nameKey, (named = []));
    named.push(known);
    this.setAliases(known, known.aliases);
    return known;
  }

  setAliases(entity: KnownEntity, aliases: string[]): void {
    for (const key of entity.aliasKeys) this.byAliasKey.get(key)?.delete(entity);
    entity.aliases = aliases;
    entity.aliasKeys = new Set(aliases.map(entityNameKey));
    for (const key of entity.aliasKeys) {
      let set = this.byAliasKey.get(key);
      if (!set) this.byAliasKey.set(key, (set = new Set()));
      set.add(entity);
    }
  }

  /** The first entity of the type with this name (key). */
  named(typeId: string, key: string): KnownEntity | undefined {
    return this.byTypeAndName.get(`${typeId}\u0000${key}`);
  }

  /** Entities of any type with this name (key), in registry order. */
  namedAnyType(key: string): KnownEntity[] {
    return this.byName.get(key) ?? [];
  }

  /** Entities (of the type, or of any type for null) with an alias of this key, in registry order. */
  aliased(typeId: string | null, key: string): KnownEntity[] {
    const set = this.byAliasKey.get(key);
    if (!set) return [];
    return [...set].filter((entity) => typeId === null || entity.entityTypeId === typeId).sort((a, b) => a.order - b.order);
  }
}

export interface ResolvedEntities {
  /** entity reference key → project entity id */
  resolved: Map<string, string>;
  created: number;
  reused: number;
}

/**
 * The project entity of every reference, finding or planning each one, then writing the new entities and the
 * aliases added to existing ones (with their audit events). Entities with a type (an export's entity, a brat
 * normalization) first: the entity of that type with the same name, else one with it as an alias, else a new one
 * with the reference's aliases (aliases it brings are added to an entity found). Then mentions without an entity
 * (find or create by the mention text, name or alias). Then names without a type (jsonl stance holders and targets
 * never mentioned in the file): the one entity of any type with that name, else refused.
 * Throws ImportInputError when a name without a type is unknown or ambiguous.
 */
export async function resolveEntities(
  tx: DbTransaction,
  dataset: ImportDataset,
  ctx: { projectId: string; userId: string; types: Map<string, string> },
  { now, batchRows }: { now: Date; batchRows?: number },
): Promise<ResolvedEntities> {
  const typeIds = [...new Set([...dataset.entities.values()].flatMap((ref) => (ref.type ? [ctx.types.get(ref.type)!] : [])))].sort();
  for (const typeId of typeIds) await lockEntityType(tx, typeId);
  const rows = await tx.entity.findMany({ where: { projectId: ctx.projectId }, select: { id: true, name: true, aliases: true, entityTypeId: true }, orderBy: { createdAt: "asc" } });
  const registry = new EntityRegistry();
  for (const row of rows) registry.add({ ...row, isNew: false });
  const resolved = new Map<string, string>();
  const aliasUpdates = new Map<string, KnownEntity>();
  let reused = 0;
  const create = (ref: EntityRef, typeId: string) => registry.add({ id: newId(), name: ref.name.trim(), aliases: normalizeAliases(ref.aliases, ref.name), entityTypeId: typeId, isNew: true });
  const problems: ImportProblem[] = [];
  const refs = [...dataset.entities.values()];
  for (const ref of refs) {
    if (ref.type === null || ref.byMentionText) continue;
    const typeId = ctx.types.get(ref.type)!;
    const key = entityNameKey(ref.name);
    let entity = registry.named(typeId, key) ?? registry.aliased(typeId, key).find((candidate) => !candidate.isNew);
    if (entity && !entity.isNew) {
      reused++;
      const aliases = normalizeAliases([...entity.aliases, ...ref.aliases], entity.name);
      if (aliases.length !== entity.aliases.length) {
        registry.setAliases(entity, aliases);
        aliasUpdates.set(entity.id, entity);
      }
    } else if (entity) registry.setAliases(entity, normalizeAliases([...entity.aliases, ...ref.aliases], entity.name));
    else entity = create(ref, typeId);
    resolved.set(ref.key, entity.id);
  }
  for (const ref of refs) {
    if (!ref.byMentionText) continue;
    const typeId = ctx.types.get(ref.type!)!;
    const key = entityNameKey(ref.name);
    let entity = registry.named(typeId, key) ?? registry.aliased(typeId, key)[0];
    if (entity && !entity.isNew) reused++;
    if (!entity) entity = create(ref, typeId);
    resolved.set(ref.key, entity.id);
  }
  for (const ref of refs) {
    if (ref.type !== null) continue;
    const key = entityNameKey(ref.name);
    const named = registry.namedAnyType(key);
    const candidates = named.length ? named : registry.aliased(null, key);
    if (candidates.length === 1) {
      resolved.set(ref.key, candidates[0]!.id);
      if (!candidates[0]!.isNew) reused++;
      continue;
    }
    problems.push({
      file: ref.seenAt?.file ?? "",
      line: ref.seenAt?.line,
      message:
        candidates.length > 1
          ? `the stance names the entity ${JSON.stringify(ref.name)}, and the project has ${candidates.length} entities of that name (of different types): the file does not say which.`
          : `the stance names the entity ${JSON.stringify(ref.name)}, which no mention in this file refers to and which the project does not have: its type is unknown. Add it to the project's entities first, or import a layer that mentions it.`,
    });
  }
  if (problems.length) throw new ImportInputError(problems.slice(0, 20));

  const created = registry.entities.filter((entity) => entity.isNew);
  const entityColumns: BulkColumn<KnownEntity>[] = [
    { name: "id", type: "text", value: (entity) => entity.id },
    constantColumn("projectId", "text", ctx.projectId),
    { name: "name", type: "text", value: (entity) => entity.name },
    { name: "entityTypeId", type: "text", value: (entity) => entity.entityTypeId },
    textArrayColumn("aliases", (entity) => entity.aliases),
    constantColumn("createdAt", "timestamp(3)", now),
    constantColumn("updatedAt", "timestamp(3)", now),
  ];
  await insertRows(tx, "Entity", entityColumns, created, { batchRows });
  const updated = [...aliasUpdates.values()];
  if (updated.length) {
    await tx.$executeRaw`
      UPDATE "Entity" AS e SET "aliases" = ARRAY(SELECT jsonb_array_elements_text(u."aliases"::jsonb)), "updatedAt" = ${now}::timestamp(3)
      FROM unnest(${updated.map((entity) => entity.id)}::text[], ${updated.map((entity) => JSON.stringify(entity.aliases))}::text[]) AS u("id", "aliases")
      WHERE e."id" = u."id"`;
  }
  const audits = [
    ...created.map((entity) => ({ action: "entity.create", objectId: entity.id, after: { name: entity.name, aliases: entity.aliases, entityTypeId: entity.entityTypeId, via: "dataset.import" } })),
    ...updated.map((entity) => ({ action: "entity.update", objectId: entity.id, after: { aliases: entity.aliases, via: "dataset.import" } })),
  ];
  await insertRows(tx, "AuditEvent", auditColumns(ctx, "entity", now), audits, { batchRows });
  return { resolved, created: created.length, reused };
}

/** The columns of the import's audit events, all at `now`; `objectType` unless the event says otherwise. */
export function auditColumns(ctx: { projectId: string; userId: string }, objectType: string, now: Date): BulkColumn<{ action: string; objectId: string; after: unknown; objectType?: string }>[] {
  return [
    constantColumn("at", "timestamp(3)", now),
    constantColumn("actorId", "text", ctx.userId),
    constantColumn("projectId", "text", ctx.projectId),
    { name: "action", type: "text", value: (event) => event.action },
    { name: "objectType", type: "text", value: (event) => event.objectType ?? objectType },
    { name: "objectId", type: "text", value: (event) => event.objectId },
    { name: "after", type: "text", value: (event) => JSON.stringify(event.after), select: (v) => `${v}::jsonb` },
  ];
}
