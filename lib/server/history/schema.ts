import "server-only";
import { z } from "zod";

/*
 * Request schemas of the layer restore. They live here rather than in lib/validation/ because no client form
 * parses them: the deleted-annotations page's buttons send fixed bodies.
 */

const annotatorId = z.string({ error: "Send the id of the annotator whose layer to restore." }).trim().min(1, { error: "Send the id of the annotator whose layer to restore." }).max(100);
const deletedSince = z.iso
  .datetime({ offset: true, error: "Send an ISO 8601 time such as 2026-11-30T12:00:00Z, or leave it out to restore every deleted annotation." })
  .optional();

/** POST /api/articles/:id/layers/restore */
export const restoreLayerSchema = z.object({ annotatorId, deletedSince });
export type RestoreLayerInput = z.infer<typeof restoreLayerSchema>;

/** GET /api/articles/:id/layers/restore?annotatorId=&deletedSince= : what a POST would restore. */
export const deletedLayersQuerySchema = z.object({ annotatorId: annotatorId.optional(), deletedSince });
