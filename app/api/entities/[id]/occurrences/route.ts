import { authedRoute } from "@/lib/server/api/route";
import { requireEntityForMember } from "@/lib/server/entities/access";
import { findProjectNameOccurrences } from "@/lib/server/entities/name-occurrences";
import { entityOccurrencesQuerySchema } from "@/lib/validation/entity";

// GET /api/entities/[id]/occurrences?exceptArticleId= – untagged whole-word places of the entity's name and aliases
// in the project's articles, for "tag the other mentions across the project" (any member; my own mentions count as tagged)
export const GET = authedRoute<{ id: string }>(async ({ request, params, user }) => {
  // Outsiders get 404 before anything about their query is judged.
  await requireEntityForMember({ userId: user.id, entityId: params.id });
  const { exceptArticleId } = entityOccurrencesQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return Response.json(await findProjectNameOccurrences({ userId: user.id, entityId: params.id, exceptArticleId }));
});
