import { authedRoute } from "@/lib/server/api/route";
import { readJsonBody } from "@/lib/server/api/request";
import { createArticle, listArticles } from "@/lib/server/articles/articles";
import { importArticleFiles } from "@/lib/server/articles/import";
import { readArticleUpload } from "@/lib/server/articles/upload";
import { requireProjectRole } from "@/lib/server/authz";
import { createArticleSchema } from "@/lib/validation/article";
import type { ImportResult } from "@/lib/validation/article-import";

// GET /api/projects/[id]/articles – articles with per-annotator progress
export const GET = authedRoute<{ id: string }>(async ({ params, user }) =>
  Response.json({ articles: await listArticles({ userId: user.id, projectId: params.id }) }),
);

/**
 * The multipart response: 201 with {articles, errors} when any article was created; otherwise the first
 * error's status with the API error shape, plus the same {articles: [], errors} so clients read one shape.
 */
function importResponse(result: ImportResult): Response {
  const [first] = result.errors;
  if (result.articles.length || !first) return Response.json(result, { status: 201 });
  const message = result.errors.length === 1 ? first.message : `None of the ${result.errors.length} files could be imported. ${first.message}`;
  return Response.json({ error: { code: first.code, message, details: { errors: result.errors } }, ...result }, { status: first.status });
}

// POST /api/projects/[id]/articles – add an article: JSON {title, text, source?}, or import multipart `file` fields (.txt, .html, .jsonl)
export const POST = authedRoute<{ id: string }>(async ({ request, params, user }) => {
  // Outsiders learn nothing, not even whether their body was valid.
  await requireProjectRole({ userId: user.id, projectId: params.id });
  if (request.headers.get("content-type")?.startsWith("multipart/form-data")) {
    const upload = await readArticleUpload(request);
    const result = await importArticleFiles({ userId: user.id, projectId: params.id, files: upload.files, overrides: { title: upload.title, source: upload.source } });
    return importResponse(result);
  }
  const article = await readJsonBody(request, createArticleSchema, 12 * 1024 * 1024);
  const { versionId: _versionId, ...created } = await createArticle({ userId: user.id, projectId: params.id, article });
  return Response.json(created, { status: 201 });
});
