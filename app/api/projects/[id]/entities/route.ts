import { authedRoute } from "@/lib/server/api/route";
import { readJsonBody } from "@/lib/server/api/request";
import { requireProjectRole } from "@/lib/server/authz";
import { createEntity } from "@/lib/server/entities/create-entity";
import { listEntities } from "@/lib/server/entities/list-entities";
import { createEntitySchema, listEntitiesQuerySchema } from "@/lib/validation/entity";

// GET /api/projects/[id]/entities – the canonical entities, ?q= (name or alias contains) and ?type= filters
export const GET = authedRoute<{ id: string }>(async ({ request, params, user }) => {
  await requireProjectRole({ userId: user.id, projectId: params.id });
  const { q, type } = listEntitiesQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return Response.json({ entities: await listEntities({ userId: user.id, projectId: params.id, q, type }) });
});

// POST /api/projects/[id]/entities – add a canonical entity {name, type, aliases?}
export const POST = authedRoute<{ id: string }>(async ({ request, params, user }) => {
  await requireProjectRole({ userId: user.id, projectId: params.id });
  const entity = await readJsonBody(request, createEntitySchema);
  return Response.json(await createEntity({ userId: user.id, projectId: params.id, entity }), { status: 201 });
});
