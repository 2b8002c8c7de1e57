import { authedRoute } from "@/lib/server/api/route";

// GET /api/auth/me – the signed-in user
export const GET = authedRoute(async ({ user }) => Response.json({ user }));
