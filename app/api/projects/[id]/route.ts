import { authedRoute } from "@/lib/server/api/route";
import { getProjectForMember } from "@/lib/server/projects/projects";

// GET /api/projects/[id] – a project with its tag set and my role
export const GET = authedRoute<{ id: string }>(async ({ params, user }) =>
  Response.json(await getProjectForMember({ userId: user.id, projectId: params.id })),
);
