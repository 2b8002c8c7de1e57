import { authedRoute } from "@/lib/server/api/route";
import { readJsonBody } from "@/lib/server/api/request";
import { createApiToken, listApiTokens } from "@/lib/server/auth/api-tokens";
import { createTokenSchema } from "@/lib/validation/auth";

// GET /api/tokens – my personal API tokens (never their secrets)
export const GET = authedRoute(async ({ user }) => Response.json({ tokens: await listApiTokens({ userId: user.id }) }));

// POST /api/tokens – create a personal API token; the secret is returned once
export const POST = authedRoute(async ({ request, user }) => {
  const { name } = await readJsonBody(request, createTokenSchema);
  return Response.json(await createApiToken({ userId: user.id, name }), { status: 201 });
});
