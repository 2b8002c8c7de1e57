import { publicRoute } from "@/lib/server/api/route";
import { readJsonBody } from "@/lib/server/api/request";
import { signInResponse } from "@/lib/server/auth/sign-in";
import { verifyCredentials } from "@/lib/server/auth/users";
import { loginSchema } from "@/lib/validation/auth";

// POST /api/auth/login – sign in with email and password; sets the session cookie
export const POST = publicRoute(async ({ request }) => {
  const credentials = await readJsonBody(request, loginSchema);
  const user = await verifyCredentials(credentials);
  return signInResponse(request, user);
});
