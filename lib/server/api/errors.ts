import "server-only";
import { ZodError } from "zod";
import { AppError, type ErrorBody } from "@/lib/errors";

function prismaErrorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === "string" && /^P\d{4}$/.test(code) ? code : undefined;
}

/** Describes a zod failure as one sentence a person can act on, naming the field. */
export function describeZodError(error: ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join(" ");
}

/** The one mapping from a thrown error to the API's error shape (see ../shared/API.md). */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) {
    return new AppError("validation_failed", describeZodError(error), {
      issues: error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
    });
  }
  switch (prismaErrorCode(error)) {
    case "P2002":
      return new AppError("already_exists", "That already exists.");
    case "P2003":
      return new AppError("conflict", "Something this refers to was changed or removed meanwhile. Reload and try again.");
    case "P2025":
      return new AppError("not_found", "Not found.");
  }
  console.error("Unexpected error in API handler:", error);
  return new AppError("internal_error", "Something went wrong on the server. Nothing was changed; try again, and report it if it persists.");
}

export function errorResponse(error: unknown): Response {
  const appError = toAppError(error);
  const body: ErrorBody = { error: { code: appError.code, message: appError.message } };
  if (appError.details) body.error.details = appError.details;
  return Response.json(body, { status: appError.status });
}
