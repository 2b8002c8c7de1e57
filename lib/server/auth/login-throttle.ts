import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/server/api/errors";

/*
 * Limits on password guessing, kept in the database (table "LoginThrottle") so that every app process sees the same
 * counts and a restart forgets nothing. Two counters, each over a fixed window that opens with its first attempt:
 * - per account (`account:<email>`, for unknown emails too, so a 429 does not reveal who has an account);
 * - per client address (`ip:<address>`), only when a trusted proxy names the address (forwarded.ts): without one,
 *   every client would share a single "unknown" counter and anyone could lock everyone out.
 * An attempt is counted BEFORE the password is checked, in one atomic statement, so parallel guesses cannot slip
 * past the limit; a success then deletes the account's counter and gives the address its attempt back.
 * The time is the database's, so app servers with skewed clocks agree. Timestamps are UTC, as Prisma stores them.
 */

export const loginWindowSeconds = 15 * 60;
/** Failed sign-ins per account within the window; the next attempt gets 429. */
export const maxAttemptsPerAccount = 10;
/** Failed sign-ins per client address within the window: higher, since an office or a campus shares one address. */
export const maxAttemptsPerAddress = 50;

/** Thrown when a limit is reached: 429 with a Retry-After header (see retryAfterResponse). */
export class TooManyAttemptsError extends AppError {
  constructor(
    readonly retryAfterSeconds: number,
    scope: "account" | "address",
  ) {
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
    const wait = `${minutes} ${minutes === 1 ? "minute" : "minutes"}`;
    const who = scope === "account" ? "for this account" : "from your network";
    super("too_many_requests", `Too many failed sign-in attempts ${who}. Try again in ${wait}.`, { retryAfterSeconds });
  }
}

export function accountKey(email: string): string {
  return `account:${email.trim().toLowerCase()}`.slice(0, 400);
}

function addressKey(address: string): string {
  return `ip:${address}`;
}

/**
 * Counts one attempt on each key, atomically, and returns each key's attempts in its current window and the
 * seconds until that window closes.
 */
async function countAttempts(keys: string[]): Promise<Map<string, { attempts: number; retryAfterSeconds: number }>> {
  const rows = await db.$queryRaw<{ key: string; attempts: number; retryAfter: number }[]>`
    INSERT INTO "LoginThrottle" AS t ("key", "attempts", "windowStart")
    SELECT k, 1, now() AT TIME ZONE 'UTC' FROM unnest(${keys}::text[]) AS k
    ON CONFLICT ("key") DO UPDATE SET
      "attempts" = CASE WHEN t."windowStart" <= (now() AT TIME ZONE 'UTC') - ${loginWindowSeconds}::int * interval '1 second' THEN 1 ELSE t."attempts" + 1 END,
      "windowStart" = CASE WHEN t."windowStart" <= (now() AT TIME ZONE 'UTC') - ${loginWindowSeconds}::int * interval '1 second' THEN now() AT TIME ZONE 'UTC' ELSE t."windowStart" END
    RETURNING t."key", t."attempts",
      CEIL(EXTRACT(EPOCH FROM (t."windowStart" + ${loginWindowSeconds}::int * interval '1 second' - (now() AT TIME ZONE 'UTC'))))::int AS "retryAfter"`;
  return new Map(rows.map((row) => [row.key, { attempts: Number(row.attempts), retryAfterSeconds: Math.max(1, Number(row.retryAfter)) }]));
}

/** Drops counters whose window has passed (they count as zero anyway); keeps the table small. */
async function deleteExpiredCounters(): Promise<void> {
  await db.$executeRaw`DELETE FROM "LoginThrottle" WHERE "windowStart" <= (now() AT TIME ZONE 'UTC') - ${loginWindowSeconds}::int * interval '1 second'`;
}

export interface LoginAttempt {
  /** The email as typed (normalised here). */
  email: string;
  /** The client's address (forwarded.ts clientAddress), or null when unknown. */
  address: string | null;
}

/**
 * Runs `verify` (a password check) under the sign-in limits. Throws TooManyAttemptsError (429) without calling
 * `verify` once the account or the address has used up its attempts in the window; otherwise returns what `verify`
 * returns, or rethrows what it throws (the attempt then stays counted as failed).
 */
export async function withLoginThrottle<T>({ email, address }: LoginAttempt, verify: () => Promise<T>): Promise<T> {
  const account = accountKey(email);
  const ip = address ? addressKey(address) : null;
  const counts = await countAttempts(ip ? [account, ip] : [account]);
  const accountCount = counts.get(account)!;
  if (accountCount.attempts > maxAttemptsPerAccount) throw new TooManyAttemptsError(accountCount.retryAfterSeconds, "account");
  const ipCount = ip ? counts.get(ip) : undefined;
  if (ipCount && ipCount.attempts > maxAttemptsPerAddress) throw new TooManyAttemptsError(ipCount.retryAfterSeconds, "address");

  const result = await verify();
  // Success: the account starts afresh; the address gets back only this attempt, so successes on one account
  // cannot wash out failures on others.
  await db.$executeRaw`DELETE FROM "LoginThrottle" WHERE "key" = ${account}`;
  if (ip) await db.$executeRaw`UPDATE "LoginThrottle" SET "attempts" = GREATEST("attempts" - 1, 0) WHERE "key" = ${ip}`;
  await deleteExpiredCounters();
  return result;
}

/** The API error response for `error`, with Retry-After when it is a TooManyAttemptsError; null for other errors. */
export function retryAfterResponse(error: unknown): Response | null {
  if (!(error instanceof TooManyAttemptsError)) return null;
  const response = errorResponse(error);
  response.headers.set("Retry-After", String(error.retryAfterSeconds));
  return response;
}
