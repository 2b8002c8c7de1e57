import { z } from "zod";
import { createAnnotation } from "@/lib/server/annotations/create-annotation";
import { createAnnotations } from "@/lib/server/annotations/create-annotations";
import { listAnnotations } from "@/lib/server/annotations/list-annotations";
import { authedRoute } from "@/lib/server/api/route";
import { readJsonBody } from "@/lib/server/api/request";
import { requireArticleRole } from "@/lib/server/authz";
import { createAnnotationSchema, createAnnotationsSchema, listAnnotationsQuerySchema } from "@/lib/validation/annotation";

const maxBatchBodyBytes = 4 * 1024 * 1024;

// GET /api/articles/[id]/annotations – annotations I may see: ?layer=mine (default), gold, or all (reviewers, owners)
export const GET = authedRoute<{ id: string }>(async ({ request, params, user }) => {
  // Outsiders get 404 before anything about their query is judged.
  await requireArticleRole({ userId: user.id, articleId: params.id });
  const { layer } = listAnnotationsQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return Response.json({ annotations: await listAnnotations({ userId: user.id, articleId: params.id, layer }) });
});

// POST /api/articles/[id]/annotations – create a span in my layer: 201, or 200 with the first one for a repeated
// idempotencyKey. With `{annotations: [...]}`: up to 1,000 at once, all or none, answered `{annotations}`.
export const POST = authedRoute<{ id: string }>(async ({ request, params, user }) => {
  const access = await requireArticleRole({ userId: user.id, articleId: params.id });
  const body = await readJsonBody(request, z.record(z.string(), z.unknown()), maxBatchBodyBytes);
  if ("annotations" in body) {
    const { annotations: inputs } = createAnnotationsSchema.parse(body);
    const { annotations, created } = await createAnnotations({ userId: user.id, articleId: params.id, inputs });
    return Response.json({ annotations }, { status: created ? 201 : 200 });
  }
  const input = createAnnotationSchema.parse(body);
  const { annotation, created } = await createAnnotation({ userId: user.id, articleId: params.id, input, access });
  return Response.json(annotation, { status: created ? 201 : 200 });
});
