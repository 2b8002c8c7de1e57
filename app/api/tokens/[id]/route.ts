import { AppError } from "@/lib/errors";
import { authedRoute } from "@/lib/server/api/route";
import { revokeApiToken } from "@/lib/server/auth/api-tokens";

// DELETE /api/tokens/[id] – revoke one of my tokens
export const DELETE = authedRoute<{ id: string }>(async ({ params, user }) => {
  if (!(await revokeApiToken({ userId: user.id, tokenId: params.id }))) throw new AppError("not_found", "No such token.");
  return Response.json({ ok: true });
});
