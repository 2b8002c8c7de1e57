import { authedRoute } from "@/lib/server/api/route";
import { requireProjectRole } from "@/lib/server/authz";
import { exportResponse } from "@/lib/server/export/export-response";
import { resolveExport } from "@/lib/server/export/resolve-export";
import { exportQuerySchema } from "@/lib/validation/export";

// GET /api/projects/[id]/export?format=&layer=&articles=&types= – a streamed dataset download (docs/export-formats.md)
export const GET = authedRoute<{ id: string }>(async ({ request, params, user }) => {
  // Outsiders get 404 before anything about their query is judged.
  await requireProjectRole({ userId: user.id, projectId: params.id });
  const query = exportQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const plan = await resolveExport({ userId: user.id, projectId: params.id, query });
  return exportResponse(plan, query.format);
});
