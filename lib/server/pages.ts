import "server-only";
import { notFound, redirect } from "next/navigation";
import { AppError } from "@/lib/errors";
import { getPageUser } from "./auth/current-user";
import type { SessionUser } from "./auth/sessions";

/** The signed-in user of a page; anyone else is sent to the sign-in page. */
export async function requirePageUser(): Promise<SessionUser> {
  const user = await getPageUser();
  if (!user) redirect("/sign-in");
  return user;
}

/** Awaits a lib/server call for a page, turning `not_found` (and `forbidden`) into the 404 page. */
export async function loadOrNotFound<T>(load: Promise<T>): Promise<T> {
  try {
    return await load;
  } catch (error) {
    if (error instanceof AppError && (error.code === "not_found" || error.code === "forbidden")) notFound();
    throw error;
  }
}
