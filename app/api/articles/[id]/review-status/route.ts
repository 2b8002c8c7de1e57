import { authedRoute } from "@/lib/server/api/route";
import { readJsonBody } from "@/lib/server/api/request";
import { requireArticleRole } from "@/lib/server/authz";
import { setReviewStatus } from "@/lib/server/review/review-status";
import { reviewStatusSchema } from "@/lib/validation/review";

// PUT /api/articles/[id]/review-status – set the article's review status: {status: NEEDS_REVIEW | IN_REVIEW | REVIEWED}
export const PUT = authedRoute<{ id: string }>(async ({ request, params, user }) => {
  await requireArticleRole({ userId: user.id, articleId: params.id, minimumRole: "reviewer" });
  const { status } = await readJsonBody(request, reviewStatusSchema);
  return Response.json(await setReviewStatus({ userId: user.id, articleId: params.id, status }));
});
