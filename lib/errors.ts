/** Error codes of the public API and their HTTP status. One table; see ../shared/API.md "Errors". */
export const errorStatus = {
  bad_request: 400,
  invalid_json: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  signup_closed: 403,
  not_found: 404,
  conflict: 409,
  already_exists: 409,
  stale_version: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  not_enough_data: 422,
  too_many_requests: 429,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/** An expected failure with a message a person can act on. Thrown by lib/server, mapped to a response in one place. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export function isErrorBody(value: unknown): value is ErrorBody {
  return typeof value === "object" && value !== null && "error" in value && typeof (value as ErrorBody).error?.message === "string";
}
