import { callApi } from "@/lib/api-client";
import type { GoldView, PackedReview } from "@/lib/review/packed-review";
import type { GoldAnnotationJson, ReviewNoteJson } from "@/lib/review/types";
import type { AnnotationJson } from "@/lib/validation/annotation";

/** The review view's calls to the public API (docs/review-api.md). */
export const reviewApi = {
  load: (articleId: string) => callApi<PackedReview>(`/api/articles/${articleId}/review?packed=1`),
  accept: (articleId: string, annotationId: string) => callApi<GoldAnnotationJson>(`/api/articles/${articleId}/gold`, { json: { annotationId } }),
  acceptAgreed: (articleId: string) => callApi<{ created: GoldAnnotationJson[]; skipped: number }>(`/api/articles/${articleId}/gold/accept-agreed`, { method: "POST" }),
  removeGold: (gold: GoldView) => callApi<AnnotationJson>(`/api/annotations/${gold.id}?version=${gold.version}`, { method: "DELETE" }),
  note: (articleId: string, body: { groupKey: string; decision?: "rejected" | null; note?: string | null; version?: number }) =>
    callApi<ReviewNoteJson>(`/api/articles/${articleId}/review-notes`, { json: body }),
  setStatus: (articleId: string, status: string) => callApi<{ status: string }>(`/api/articles/${articleId}/review-status`, { method: "PUT", json: { status } }),
};
