import "server-only";
import { createHash, randomBytes } from "node:crypto";

/** A fresh random secret (256 bits) for a session cookie or an API token. */
export function generateSecret(prefix = ""): string {
  return prefix + randomBytes(32).toString("base64url");
}

/** Secrets are stored only as their SHA-256, so a database leak does not leak sessions or tokens. */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}
