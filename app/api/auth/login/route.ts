import { publicRoute } from "@/lib/server/api/route";
import { readJsonBody } from "@/lib/server/api/request";
import { clientAddress } from "@/lib/server/auth/forwarded";
import { retryAfterResponse, withLoginThrottle } from "@/lib/server/auth/login-throttle";
import { signInResponse } from "@/lib/server/auth/sign-in";
import { verifyCredentials } from "@/lib/server/auth/users";
import { loginSchema } from "@/lib/validation/auth";

// POST /api/auth/login – sign in with email and password; sets the session cookie (429 + Retry-After when rate limited)
export const POST = publicRoute(async ({ request }) => {
  const credentials = await readJsonBody(request, loginSchema);
  try {
    const user = await withLoginThrottle({ email: credentials.email, address: clientAddress(request) }, () => verifyCredentials(credentials));
    return await signInResponse(request, user);
  } catch (error) {
    const limited = retryAfterResponse(error);
    if (limited) return limited;
    throw error;
  }
});
