import { z } from "zod";
import { authedRoute } from "@/lib/server/api/route";
import { readJsonBody } from "@/lib/server/api/request";
import { requireArticleRole } from "@/lib/server/authz";
import { createGoldAnnotation } from "@/lib/server/review/create-gold";
import { parseGoldRequest } from "@/lib/validation/review";

// POST /api/articles/[id]/gold – put {annotationId} or a full annotation body into gold: 201, 200 for a repeated idempotencyKey
export const POST = authedRoute<{ id: string }>(async ({ request, params, user }) => {
  // Who may review is settled before the body is judged: 404 for outsiders, 403 for annotators.
  await requireArticleRole({ userId: user.id, articleId: params.id, minimumRole: "reviewer" });
  const input = parseGoldRequest(await readJsonBody(request, z.record(z.string(), z.unknown())));
  const { annotation, created } = await createGoldAnnotation({ userId: user.id, articleId: params.id, input });
  return Response.json(annotation, { status: created ? 201 : 200 });
});
