import { authedRoute } from "@/lib/server/api/route";
import { getAnnotationHistory } from "@/lib/server/history/get-annotation-history";

// GET /api/annotations/[id]/history – the annotation's audit events, oldest first, in readable form (deleted ones too);
// for the annotator whose layer holds it and the project's reviewers and owners
export const GET = authedRoute<{ id: string }>(async ({ params, user }) => {
  return Response.json(await getAnnotationHistory({ userId: user.id, annotationId: params.id }));
});
