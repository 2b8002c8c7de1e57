import { authedRoute } from "@/lib/server/api/route";
import { getProjectAgreement } from "@/lib/server/agreement/project-agreement";
import { requireProjectRole } from "@/lib/server/authz";
import { agreementQuerySchema } from "@/lib/validation/agreement";

// GET /api/projects/[id]/agreement – inter-annotator agreement (reviewers and owners), ?type=PER for one entity type
export const GET = authedRoute<{ id: string }>(async ({ request, params, user }) => {
  // Who may see agreement is settled before the query is judged: 404 for outsiders, 403 for annotators.
  await requireProjectRole({ userId: user.id, projectId: params.id, minimumRole: "reviewer" });
  const { type } = agreementQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return Response.json(await getProjectAgreement({ userId: user.id, projectId: params.id, type }));
});
