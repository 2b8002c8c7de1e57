import { authedRoute } from "@/lib/server/api/route";
import { readJsonBody } from "@/lib/server/api/request";
import { changePassword } from "@/lib/server/auth/change-password";
import { sessionCookieHeader } from "@/lib/server/auth/cookie";
import { clientAddress } from "@/lib/server/auth/forwarded";
import { retryAfterResponse } from "@/lib/server/auth/login-throttle";
import { changePasswordSchema, type ChangePasswordResult } from "@/lib/validation/auth";

// POST /api/auth/password – change my password {currentPassword, newPassword, revokeApiTokens?}; ends all sessions, re-issues mine
export const POST = authedRoute(async ({ request, user, authMethod }) => {
  const input = await readJsonBody(request, changePasswordSchema);
  try {
    const outcome = await changePassword({
      user,
      input,
      address: clientAddress(request),
      newSessionFor: authMethod === "session" ? { userAgent: request.headers.get("user-agent") } : undefined,
    });
    const body: ChangePasswordResult = { user, endedSessions: outcome.endedSessions, revokedApiTokens: outcome.revokedApiTokens };
    const headers = outcome.session ? { "Set-Cookie": sessionCookieHeader(request, outcome.session.token, outcome.session.expiresAt) } : undefined;
    return Response.json(body, { headers });
  } catch (error) {
    const limited = retryAfterResponse(error);
    if (limited) return limited;
    throw error;
  }
});
