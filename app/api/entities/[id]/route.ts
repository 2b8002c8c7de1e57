import { authedRoute } from "@/lib/server/api/route";
import { readJsonBody } from "@/lib/server/api/request";
import { requireEntityForMember } from "@/lib/server/entities/access";
import { updateEntity } from "@/lib/server/entities/update-entity";
import { updateEntitySchema } from "@/lib/validation/entity";

// PATCH /api/entities/[id] – rename, retype or replace the aliases of a canonical entity (any member)
export const PATCH = authedRoute<{ id: string }>(async ({ request, params, user }) => {
  await requireEntityForMember({ userId: user.id, entityId: params.id });
  const changes = await readJsonBody(request, updateEntitySchema);
  return Response.json(await updateEntity({ userId: user.id, entityId: params.id, changes }));
});
