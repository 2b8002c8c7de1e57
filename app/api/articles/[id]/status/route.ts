import { setAnnotatorStatus } from "@/lib/server/annotations/annotator-status";
import { authedRoute } from "@/lib/server/api/route";
import { readJsonBody } from "@/lib/server/api/request";
import { requireArticleRole } from "@/lib/server/authz";
import { annotatorStatusSchema } from "@/lib/validation/annotation";

// PUT /api/articles/[id]/status – set my progress on the article: {status: NEW | IN_PROGRESS | FINISHED}
export const PUT = authedRoute<{ id: string }>(async ({ request, params, user }) => {
  await requireArticleRole({ userId: user.id, articleId: params.id });
  const { status } = await readJsonBody(request, annotatorStatusSchema);
  return Response.json(await setAnnotatorStatus({ userId: user.id, articleId: params.id, status }));
});
