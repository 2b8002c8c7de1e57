import { authedRoute } from "@/lib/server/api/route";
import { readJsonBody } from "@/lib/server/api/request";
import { requireArticleRole } from "@/lib/server/authz";
import { listDeletedAnnotations } from "@/lib/server/history/list-deleted";
import { restoreLayer } from "@/lib/server/history/restore-layer";
import { deletedLayersQuerySchema, restoreLayerSchema } from "@/lib/server/history/schema";

// GET /api/articles/[id]/layers/restore – the deleted annotations I may restore here, per annotator layer:
// mine, or every annotator's for reviewers and owners (?annotatorId=, ?deletedSince= narrow it as a POST would)
export const GET = authedRoute<{ id: string }>(async ({ request, params, user }) => {
  // Outsiders get 404 before anything about their query is judged.
  await requireArticleRole({ userId: user.id, articleId: params.id });
  const query = deletedLayersQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { layers, truncated } = await listDeletedAnnotations({ userId: user.id, articleId: params.id, ...query });
  return Response.json({ layers, truncated });
});

// POST /api/articles/[id]/layers/restore – restore every deleted annotation of one annotator's layer on this
// article {annotatorId, deletedSince?}, all in one transaction; the annotator themself, reviewers and owners
export const POST = authedRoute<{ id: string }>(async ({ request, params, user }) => {
  await requireArticleRole({ userId: user.id, articleId: params.id });
  const input = await readJsonBody(request, restoreLayerSchema);
  return Response.json(await restoreLayer({ userId: user.id, articleId: params.id, input }));
});
