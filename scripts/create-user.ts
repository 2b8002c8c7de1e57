// npm run user:create -- <email> <name…> – create an account from the server's shell (e.g. with SPANLIGHT_SIGNUP=closed).
// The password comes from SPANLIGHT_NEW_PASSWORD, or a random one is generated and printed once.
import { randomBytes } from "node:crypto";
import { closeConnection, getConnection } from "@/lib/server/db/connection";
import { applyPendingMigrations } from "@/lib/server/db/migrate";
import { createUser } from "@/lib/server/auth/users";
import { signupSchema } from "@/lib/validation/auth";

const [email, ...nameParts] = process.argv.slice(2);
const generated = !process.env.SPANLIGHT_NEW_PASSWORD;
const parsed = signupSchema.safeParse({
  email,
  name: nameParts.join(" ") || email?.split("@")[0],
  password: process.env.SPANLIGHT_NEW_PASSWORD ?? randomBytes(12).toString("base64url"),
});
if (!parsed.success) {
  console.error(`Usage: npm run user:create -- <email> <name…>\n${parsed.error.issues.map((issue) => issue.message).join("\n")}`);
  process.exit(2);
}
try {
  await applyPendingMigrations(getConnection());
  const user = await createUser(parsed.data);
  console.log(`Created ${user.email} (${user.name}).${generated ? ` Password: ${parsed.data.password}` : ""}`);
  console.log("An owner can now add them to a project by email.");
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  await closeConnection();
}
process.exit();
