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

export const signupSchema = z.object({
  email,
  name: z.string({ error: "Enter your name." }).trim().min(1, { error: "Enter your name." }).max(200),
  password: z
    .string({ error: "Choose a password." })
    .min(10, { error: "Choose a password of at least 10 characters." })
    .max(512, { error: "Passwords are limited to 512 characters." }),
});
export type SignupInput = z.infer<typeof signupSchema>;

export const createTokenSchema = z.object({
  name: z.string({ error: "Name the token, e.g. after the script that uses it." }).trim().min(1, { error: "Name the token, e.g. after the script that uses it." }).max(100),
});
