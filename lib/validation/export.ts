import { z } from "zod";
import { exportFormats } from "@/lib/export/model";

/*
 * GET /api/projects/:id/export query. `layer`: "gold" (default), "all" (every annotator's layer and gold; reviewers
 * and owners), "mine" (my own layer), or an annotator's user id or email. `articles`, `types`: comma-separated
 * filters (article ids; entity type names, which restrict entity mentions only; stances stay).
 */

const commaList = (what: string) =>
  z
    .string({ error: `Send ${what} separated by commas.` })
    .max(20_000, { error: `Send at most 20,000 characters of ${what}.` })
    .transform((value) => [...new Set(value.split(",").map((item) => item.trim()).filter(Boolean))])
    .transform((items) => (items.length ? items : null))
    .optional()
    .transform((items) => items ?? null);

export const exportQuerySchema = z.object({
  format: z.enum(exportFormats, { error: `Send format= one of ${exportFormats.join(", ")}.` }),
  layer: z
    .string({ error: "Send layer= gold, all, mine, or an annotator's user id or email." })
    .trim()
    .min(1, { error: "Send layer= gold, all, mine, or an annotator's user id or email." })
    .max(320)
    .default("gold"),
  articles: commaList("article ids"),
  types: commaList("entity type names"),
});
export type ExportQuery = z.infer<typeof exportQuerySchema>;
