import { requireEditableAnnotation } from "@/lib/server/annotations/access";
import { deleteAnnotation } from "@/lib/server/annotations/delete-annotation";
import { updateAnnotation } from "@/lib/server/annotations/update-annotation";
import { authedRoute } from "@/lib/server/api/route";
import { readJsonBody } from "@/lib/server/api/request";
import { expectedVersionQuerySchema, updateAnnotationSchema } from "@/lib/validation/annotation";

// PATCH /api/annotations/[id] – move or relabel one of my annotations, or a gold item (reviewers, owners); body {version, …changes}
export const PATCH = authedRoute<{ id: string }>(async ({ request, params, user }) => {
  // Who may touch it is settled before the body is judged: 404 if not visible, 403 if not mine (or gold, for annotators).
  await requireEditableAnnotation({ userId: user.id, annotationId: params.id });
  const changes = await readJsonBody(request, updateAnnotationSchema);
  return Response.json(await updateAnnotation({ userId: user.id, annotationId: params.id, changes }));
});

// DELETE /api/annotations/[id] – soft-delete one of my annotations or a gold item (?version=N refuses a stale delete); returns it
export const DELETE = authedRoute<{ id: string }>(async ({ request, params, user }) => {
  await requireEditableAnnotation({ userId: user.id, annotationId: params.id });
  const { version } = expectedVersionQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return Response.json(await deleteAnnotation({ userId: user.id, annotationId: params.id, expectedVersion: version }));
});
