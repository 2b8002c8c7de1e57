import { z } from "zod";
import { hasLoneSurrogate, loneSurrogateMessage } from "./text";

/** Largest article text, in UTF-8 bytes. Larger texts are refused with 413. */
export const maxArticleTextBytes = 5 * 1024 * 1024;

// JSON bodies are checked whole for lone surrogates (lib/server/api/request.ts); .jsonl imports parse their lines here.
const isWellFormed = (text: string) => !hasLoneSurrogate(text);

export const createArticleSchema = z.object({
  title: z
    .string({ error: "Give the article a title." })
    .trim()
    .min(1, { error: "Give the article a title." })
    .max(1000, { error: "Titles are limited to 1000 characters." })
    .refine(isWellFormed, { error: `The title ${loneSurrogateMessage}` }),
  // Not trimmed: the text is stored exactly (after canonicalization) so offsets stay true to it.
  text: z
    .string({ error: "Paste the article text." })
    .refine((text) => text.trim().length > 0, { error: "The article text is empty." })
    .refine(isWellFormed, { error: `The text ${loneSurrogateMessage}` }),
  source: z.string().trim().max(2000).refine(isWellFormed, { error: `The source ${loneSurrogateMessage}` }).optional().nullable(),
});
export type CreateArticleInput = z.infer<typeof createArticleSchema>;
