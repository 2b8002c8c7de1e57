import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { LoginInput, SignupInput } from "@/lib/validation/auth";
import { recordAudit } from "@/lib/server/audit";
import { hashPassword, verifyPassword } from "./password";
import type { SessionUser } from "./sessions";

const publicUser = { id: true, email: true, name: true } as const;

export function isSignupOpen(): boolean {
  return (process.env.SPANLIGHT_SIGNUP ?? "open").toLowerCase() !== "closed";
}

/**
 * Checks an email and password. Throws AppError `invalid_credentials` with one message for an unknown email
 * and a wrong password alike, so the answer does not reveal who has an account.
 */
export async function verifyCredentials({ email, password }: LoginInput): Promise<SessionUser> {
  const user = await db.user.findUnique({ where: { email }, select: { ...publicUser, passwordHash: true } });
  const isValid = await verifyPassword(user?.passwordHash ?? null, password);
  if (!user || !isValid) throw new AppError("invalid_credentials", "The email or password is not right. Check both and try again.");
  return { id: user.id, email: user.email, name: user.name };
}

/** Creates an account (open sign-up). Throws `signup_closed` or `already_exists`. */
export async function signUp(input: SignupInput): Promise<SessionUser> {
  if (!isSignupOpen()) throw new AppError("signup_closed", "Sign-up is closed on this server. Ask a project owner to add you.");
  return createUser(input);
}

export async function createUser({ email, name, password }: SignupInput): Promise<SessionUser> {
  const passwordHash = await hashPassword(password);
  return db.$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email }, select: { id: true } })) {
      throw new AppError("already_exists", `An account for ${email} already exists. Sign in instead.`);
    }
    const user = await tx.user.create({ data: { email, name, passwordHash }, select: publicUser });
    await recordAudit(tx, { actorId: user.id, action: "user.create", objectType: "user", objectId: user.id, after: { email, name } });
    return user;
  });
}
