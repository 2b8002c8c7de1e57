import { packReview } from "@/lib/review/packed-review";
import { authedRoute } from "@/lib/server/api/route";
import { requireArticleRole } from "@/lib/server/authz";
import { getArticleReview } from "@/lib/server/review/get-review";
import { reviewQuerySchema } from "@/lib/validation/review";

// GET /api/articles/[id]/review – reviewers' view: annotators, comparison groups, gold layer, review notes;
// ?packed=1 gives the same in columns (lib/review/packed-review.ts), as the review page uses it
export const GET = authedRoute<{ id: string }>(async ({ request, params, user }) => {
  // Who may review is settled before the query is judged: 404 for outsiders, 403 for annotators.
  await requireArticleRole({ userId: user.id, articleId: params.id, minimumRole: "reviewer" });
  const { packed } = reviewQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const review = await getArticleReview({ userId: user.id, articleId: params.id });
  return Response.json(packed ? packReview(review) : review);
});
