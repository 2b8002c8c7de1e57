import { callApi, type ApiResult } from "@/lib/api-client";
import type { ClientAnnotation, ProjectOccurrences, Span } from "./types";

/** The reader's calls to the public API (see README, API). */
export const annotationApi = {
  update: (annotation: ClientAnnotation, changes: Record<string, unknown>) =>
    callApi<ClientAnnotation>(`/api/annotations/${annotation.id}`, { method: "PATCH", json: { version: annotation.version, ...changes } }),
  remove: (annotation: ClientAnnotation) =>
    callApi<ClientAnnotation>(`/api/annotations/${annotation.id}?version=${annotation.version}`, { method: "DELETE" }),
  restore: (annotationId: string) => callApi<ClientAnnotation>(`/api/annotations/${annotationId}/restore`, { method: "POST" }),
  createEntityMentions: (articleId: string, spans: (Span & { quote: string; idempotencyKey: string })[], entityId: string) =>
    callApi<{ annotations: ClientAnnotation[] }>(`/api/articles/${articleId}/annotations`, {
      json: { annotations: spans.map((span) => ({ kind: "entity", ...span, entityId })) },
    }),
  occurrences: (entityId: string, exceptArticleId: string) =>
    callApi<ProjectOccurrences>(`/api/entities/${entityId}/occurrences?exceptArticleId=${encodeURIComponent(exceptArticleId)}`),
  setStatus: (articleId: string, status: string) => callApi<{ status: string }>(`/api/articles/${articleId}/status`, { method: "PUT", json: { status } }),
};

export type { ApiResult };
