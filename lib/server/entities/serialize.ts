import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";

/** What every entity endpoint returns; mentionCount counts live entity mentions linking to it, in every layer. */
export interface EntityJson {
  id: string;
  name: string;
  type: string;
  aliases: string[];
  mentionCount: number;
}

export const entitySelect = {
  id: true,
  name: true,
  aliases: true,
  entityType: { select: { name: true } },
  _count: { select: { mentions: { where: { deletedAt: null, kind: "entity" } } } },
} satisfies Prisma.EntitySelect;

export type EntityRow = Prisma.EntityGetPayload<{ select: typeof entitySelect }>;

/** The one entity serializer. */
export function serializeEntity(row: EntityRow): EntityJson {
  return { id: row.id, name: row.name, type: row.entityType.name, aliases: row.aliases, mentionCount: row._count.mentions };
}

/** Sorts by name the same way on every database (collations differ between PGlite and PostgreSQL). */
export function compareEntityNames(a: { name: string; id: string }, b: { name: string; id: string }): number {
  return a.name.localeCompare(b.name, "en", { sensitivity: "base" }) || (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1);
}
