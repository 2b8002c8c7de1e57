import { publicRoute } from "@/lib/server/api/route";
import { signOutResponse } from "@/lib/server/auth/sign-in";

// POST /api/auth/logout – end the current session
export const POST = publicRoute(async ({ request }) => signOutResponse(request));
