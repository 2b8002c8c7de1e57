import "server-only";
import type { DbTransaction } from "@/lib/db";
import type { GoldAnnotationJson } from "@/lib/review/types";
import { readAnnotation } from "@/lib/server/annotations/read-annotation";
import { serializeAnnotation } from "@/lib/server/annotations/serialize";

/** One gold annotation as JSON, with the annotator annotations it was settled from. */
export async function readGoldAnnotation(tx: DbTransaction, annotationId: string): Promise<GoldAnnotationJson> {
  const annotation = serializeAnnotation(await readAnnotation(tx, annotationId));
  const { derivedFromIds } = await tx.annotation.findUniqueOrThrow({ where: { id: annotationId }, select: { derivedFromIds: true } });
  return { ...annotation, derivedFromIds };
}
