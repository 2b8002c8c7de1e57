import { z } from "zod";

export const memberRoles = ["owner", "reviewer", "annotator"] as const;
export type MemberRoleName = (typeof memberRoles)[number];

export const createProjectSchema = z.object({
  name: z.string({ error: "Give the project a name." }).trim().min(1, { error: "Give the project a name." }).max(200, { error: "Project names are limited to 200 characters." }),
  description: z.string().trim().max(5000).optional(),
});

export const addMemberSchema = z.object({
  email: z.string({ error: "Enter the member's email address." }).trim().toLowerCase().pipe(z.email({ error: "Enter a valid email address." })),
  role: z.enum(memberRoles, { error: `role must be one of ${memberRoles.join(", ")}.` }),
});
export type AddMemberInput = z.infer<typeof addMemberSchema>;
