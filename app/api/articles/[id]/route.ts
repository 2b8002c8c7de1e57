import { authedRoute } from "@/lib/server/api/route";
import { getArticleForUser } from "@/lib/server/articles/articles";

// GET /api/articles/[id] – the current version's canonical text and metadata
export const GET = authedRoute<{ id: string }>(async ({ params, user }) => {
  const { role: _role, versionId: _versionId, ...article } = await getArticleForUser({ userId: user.id, articleId: params.id });
  return Response.json(article);
});
