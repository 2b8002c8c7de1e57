import { authedRoute } from "@/lib/server/api/route";
import { readJsonBody } from "@/lib/server/api/request";
import { createProject, listProjectsForUser } from "@/lib/server/projects/projects";
import { createProjectSchema } from "@/lib/validation/project";

// GET /api/projects – projects I belong to, with my role
export const GET = authedRoute(async ({ user }) => Response.json({ projects: await listProjectsForUser({ userId: user.id }) }));

// POST /api/projects – create a project; I become its owner
export const POST = authedRoute(async ({ request, user }) => {
  const input = await readJsonBody(request, createProjectSchema);
  return Response.json(await createProject({ userId: user.id, ...input }), { status: 201 });
});
