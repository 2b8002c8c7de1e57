import { authedRoute } from "@/lib/server/api/route";
import { readJsonBody } from "@/lib/server/api/request";
import { requireArticleRole } from "@/lib/server/authz";
import { saveReviewNote } from "@/lib/server/review/save-review-note";
import { reviewNoteSchema } from "@/lib/validation/review";

// POST /api/articles/[id]/review-notes – note on and/or reject a comparison group: {groupKey, decision?, note?, version?}
export const POST = authedRoute<{ id: string }>(async ({ request, params, user }) => {
  await requireArticleRole({ userId: user.id, articleId: params.id, minimumRole: "reviewer" });
  const input = await readJsonBody(request, reviewNoteSchema);
  const { note, created } = await saveReviewNote({ userId: user.id, articleId: params.id, input });
  return Response.json(note, { status: created ? 201 : 200 });
});
