import { authedRoute } from "@/lib/server/api/route";
import { getProjectAgreement } from "@/lib/server/agreement/project-agreement";
import { agreementQuerySchema } from "@/lib/validation/agreement";

// GET /api/projects/[id]/agreement – inter-annotator agreement (reviewers and owners), ?type=PER for one entity type
export const GET = authedRoute<{ id: string }>(async ({ request, params, user }) => {
  const { type } = agreementQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return Response.json(await getProjectAgreement({ userId: user.id, projectId: params.id, type }));
});
