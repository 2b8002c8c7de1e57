import { requireEditableAnnotation } from "@/lib/server/annotations/access";
import { restoreAnnotation } from "@/lib/server/annotations/restore-annotation";
import { authedRoute } from "@/lib/server/api/route";
import { expectedVersionQuerySchema } from "@/lib/validation/annotation";

// POST /api/annotations/[id]/restore – undelete one of my annotations or a gold item (?version=N refuses a stale restore); returns it
export const POST = authedRoute<{ id: string }>(async ({ request, params, user }) => {
  await requireEditableAnnotation({ userId: user.id, annotationId: params.id });
  const { version } = expectedVersionQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return Response.json(await restoreAnnotation({ userId: user.id, annotationId: params.id, expectedVersion: version }));
});
