import { z } from "zod";

/*
 * Canonical entities of a project ("Daesh", "IS" and "Islamic State" are one entity). Names and aliases are
 * compared case-insensitively after trimming (see entityNameKey); they are stored as written.
 */

/** The form in which two entity names or aliases are the same: trimmed, NFC, lower case. */
export function entityNameKey(name: string): string {
  return name.trim().normalize("NFC").toLowerCase();
}

/**
 * Trims aliases, drops empty ones, ones equal to `name` and repeats (case-insensitively; the first spelling
 * wins), keeping their order.
 */
export function normalizeAliases(aliases: readonly string[], name?: string): string[] {
  const seen = new Set(name === undefined ? [] : [entityNameKey(name)]);
  const result: string[] = [];
  for (const alias of aliases) {
    const trimmed = alias.trim();
    const key = entityNameKey(trimmed);
    if (!trimmed || seen.has(key)) continue;
    seen.add(key);
    result.push(trimmed);
  }
  return result;
}

/** An entity's canonical name (also entityName in annotation bodies). */
export const entityNameSchema = z
  .string({ error: "Send the entity's name." })
  .trim()
  .min(1, { error: "The entity's name is empty." })
  .max(300, { error: "Entity names are limited to 300 characters." });

const aliases = z
  .array(z.string({ error: "Each alias must be a string." }).max(300, { error: "Aliases are limited to 300 characters each." }), {
    error: "Send a list of strings.",
  })
  .max(200, { error: "An entity can have at most 200 aliases." })
  .transform((list) => normalizeAliases(list));

const typeName = z.string({ error: 'Send an entity type such as "PER".' }).trim().min(1, { error: 'Send an entity type such as "PER".' }).max(100);

/** POST /api/projects/:id/entities */
export const createEntitySchema = z.object({
  name: entityNameSchema,
  type: typeName,
  aliases: aliases.optional(),
});
export type CreateEntityInput = z.infer<typeof createEntitySchema>;

/** PATCH /api/entities/:id: rename, retype, or replace the aliases. */
export const updateEntitySchema = z
  .object({ name: entityNameSchema.optional(), type: typeName.optional(), aliases: aliases.optional() })
  .refine((value) => value.name !== undefined || value.type !== undefined || value.aliases !== undefined, {
    error: "Nothing to change: send name, type or aliases.",
  });
export type UpdateEntityInput = z.infer<typeof updateEntitySchema>;

/** POST /api/entities/:id/merge: :id is merged into intoEntityId and disappears. */
export const mergeEntitySchema = z.object({
  intoEntityId: z.string({ error: "Send the id of the entity to keep." }).trim().min(1, { error: "Send the id of the entity to keep." }).max(100),
});

/** GET /api/projects/:id/entities?q=&type= */
export const listEntitiesQuerySchema = z.object({
  q: z.string().trim().max(300, { error: "Search for at most 300 characters." }).optional(),
  type: z.string().trim().max(100).optional(),
});

/** GET /api/entities/:id/occurrences */
export const entityOccurrencesQuerySchema = z.object({
  exceptArticleId: z.string().trim().min(1).max(100).optional(),
});
