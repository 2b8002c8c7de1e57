import { authedRoute } from "@/lib/server/api/route";
import { readJsonBody } from "@/lib/server/api/request";
import { requireEntityForMember } from "@/lib/server/entities/access";
import { mergeEntities } from "@/lib/server/entities/merge-entities";
import { mergeEntitySchema } from "@/lib/validation/entity";

// POST /api/entities/[id]/merge – merge this entity into {intoEntityId}: relink its mentions and stances, then delete it
export const POST = authedRoute<{ id: string }>(async ({ request, params, user }) => {
  await requireEntityForMember({ userId: user.id, entityId: params.id });
  const { intoEntityId } = await readJsonBody(request, mergeEntitySchema);
  return Response.json(await mergeEntities({ userId: user.id, entityId: params.id, intoEntityId }));
});
