import { publicRoute } from "@/lib/server/api/route";
import { readJsonBody } from "@/lib/server/api/request";
import { signInResponse } from "@/lib/server/auth/sign-in";
import { signUp } from "@/lib/server/auth/users";
import { signupSchema } from "@/lib/validation/auth";

// POST /api/auth/signup – create an account (unless SPANLIGHT_SIGNUP=closed) and sign in
export const POST = publicRoute(async ({ request }) => {
  const input = await readJsonBody(request, signupSchema);
  const user = await signUp(input);
  return signInResponse(request, user, 201);
});
