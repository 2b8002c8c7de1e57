import { restoreAnnotation } from "@/lib/server/annotations/restore-annotation";
import { authedRoute } from "@/lib/server/api/route";
import { requireAnnotationCustody } from "@/lib/server/history/access";
import { expectedVersionQuerySchema } from "@/lib/validation/annotation";

// POST /api/annotations/[id]/restore – undelete an annotation: my own, or (reviewers, owners) any layer's or a gold item (?version=N refuses a stale restore); returns it
export const POST = authedRoute<{ id: string }>(async ({ request, params, user }) => {
  // Who may restore is settled before the query is judged: 404 if not visible, 403 for an annotator and a gold item.
  await requireAnnotationCustody({ userId: user.id, annotationId: params.id });
  const { version } = expectedVersionQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return Response.json(await restoreAnnotation({ userId: user.id, annotationId: params.id, expectedVersion: version }));
});
