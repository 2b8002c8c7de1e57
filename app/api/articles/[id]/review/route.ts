import { authedRoute } from "@/lib/server/api/route";
import { getArticleReview } from "@/lib/server/review/get-review";

// GET /api/articles/[id]/review – reviewers' view: annotators, comparison groups, gold layer, review notes
export const GET = authedRoute<{ id: string }>(async ({ params, user }) => {
  return Response.json(await getArticleReview({ userId: user.id, articleId: params.id }));
});
