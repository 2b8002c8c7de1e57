import { z } from "zod";

const email = z
  .string({ error: "Enter your email address." })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: "Enter a valid email address, like name@example.org." }));

export const loginSchema = z.object({
  email,
  password: z.string({ error: "Enter your password." }).min(1, { error: "Enter your password." }),
});
export type LoginInput = z.infer<typeof loginSchema>;

/** A password someone chooses (sign-up, password change). */
const newPassword = z
  .string({ error: "Choose a password." })
  .min(10, { error: "Choose a password of at least 10 characters." })
  .max(512, { error: "Passwords are limited to 512 characters." });

export const signupSchema = z.object({
  email,
  name: z.string({ error: "Enter your name." }).trim().min(1, { error: "Enter your name." }).max(200),
  password: newPassword,
});
export type SignupInput = z.infer<typeof signupSchema>;

/** POST /api/auth/password: the form on the Account page sends the same body. */
export const changePasswordSchema = z
  .object({
    currentPassword: z.string({ error: "Enter your current password." }).min(1, { error: "Enter your current password." }),
    newPassword,
    /** Also revoke every personal API token (scripts then need a new one). Sessions always end. */
    revokeApiTokens: z.boolean({ error: "revokeApiTokens must be true or false." }).optional().default(false),
  })
  .refine((input) => input.newPassword !== input.currentPassword, {
    path: ["newPassword"],
    error: "Choose a new password that differs from the current one.",
  });
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;

/** The answer of POST /api/auth/password. */
export interface ChangePasswordResult {
  user: { id: string; email: string; name: string };
  /** Sessions ended, the caller's old one included (a session caller gets a new one in the same answer). */
  endedSessions: number;
  revokedApiTokens: number;
}

export const createTokenSchema = z.object({
  name: z.string({ error: "Name the token, e.g. after the script that uses it." }).trim().min(1, { error: "Name the token, e.g. after the script that uses it." }).max(100),
});
