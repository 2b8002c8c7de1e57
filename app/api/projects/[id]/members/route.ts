import { authedRoute } from "@/lib/server/api/route";
import { readJsonBody } from "@/lib/server/api/request";
import { addMember, listMembers } from "@/lib/server/projects/members";
import { addMemberSchema } from "@/lib/validation/project";

// GET /api/projects/[id]/members – the project's members and roles
export const GET = authedRoute<{ id: string }>(async ({ params, user }) =>
  Response.json({ members: await listMembers({ userId: user.id, projectId: params.id }) }),
);

// POST /api/projects/[id]/members – owner adds an existing account with a role
export const POST = authedRoute<{ id: string }>(async ({ request, params, user }) => {
  const input = await readJsonBody(request, addMemberSchema);
  return Response.json(await addMember({ actorId: user.id, projectId: params.id, ...input }), { status: 201 });
});
