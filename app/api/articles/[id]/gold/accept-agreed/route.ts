import { authedRoute } from "@/lib/server/api/route";
import { acceptAgreedGroups } from "@/lib/server/review/accept-agreed";

// POST /api/articles/[id]/gold/accept-agreed – put every agreed, unsettled group into gold: {created, skipped}
export const POST = authedRoute<{ id: string }>(async ({ params, user }) => {
  const result = await acceptAgreedGroups({ userId: user.id, articleId: params.id });
  return Response.json(result, { status: result.created.length > 0 ? 201 : 200 });
});
