import { authedRoute } from "@/lib/server/api/route";
import { readJsonBody } from "@/lib/server/api/request";
import { createArticle, listArticles } from "@/lib/server/articles/articles";
import { readArticleUpload } from "@/lib/server/articles/upload";
import { requireProjectRole } from "@/lib/server/authz";
import { createArticleSchema } from "@/lib/validation/article";

// GET /api/projects/[id]/articles – articles with per-annotator progress
export const GET = authedRoute<{ id: string }>(async ({ params, user }) =>
  Response.json({ articles: await listArticles({ userId: user.id, projectId: params.id }) }),
);

// POST /api/projects/[id]/articles – add an article: JSON {title, text, source?} or a multipart .txt file
export const POST = authedRoute<{ id: string }>(async ({ request, params, user }) => {
  // Outsiders learn nothing, not even whether their body was valid.
  await requireProjectRole({ userId: user.id, projectId: params.id });
  const isUpload = request.headers.get("content-type")?.startsWith("multipart/form-data");
  const article = isUpload ? await readArticleUpload(request) : await readJsonBody(request, createArticleSchema, 12 * 1024 * 1024);
  const { versionId: _versionId, ...created } = await createArticle({ userId: user.id, projectId: params.id, article });
  return Response.json(created, { status: 201 });
});
