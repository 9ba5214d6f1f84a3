import { PlatformError, type ErrorKind } from "./platform-error.js";
import type { ValidationIssue } from "./errors.js";

/** The JSON body of an error answer: stable, documented, and free of internals. */
export interface HttpErrorBody {
  /** The HTTP status, repeated in the body for clients that only keep the body. */
  readonly status: number;
  /** Stable snake_case code to branch on, e.g. `card_declined`; `internal_error` for anything unexpected. */
  readonly code: string;
  /** The error family (`validation`, `gateway` ...); `internal` for anything unexpected. */
  readonly kind: ErrorKind | "internal";
  /** A human-readable sentence; generic for configuration, storage and unexpected errors. */
  readonly message: string;
  /** Every bad field of a validation error, with its path and code. */
  readonly issues?: readonly ValidationIssue[];
  /** Structured context of the error (limits, ids, `declineCode` ...), never its cause. */
  readonly details?: Readonly<Record<string, unknown>>;
  /** The request id given to {@link toHttpError}, for support and log correlation. */
  readonly requestId?: string;
}

/** An error answer ready for any HTTP framework. */
export interface HttpErrorResponse {
  readonly status: number;
  /** `content-type` and, for retryable answers, `retry-after` (seconds). */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: HttpErrorBody;
}

/** Options of {@link toHttpError}. */
export interface ToHttpErrorOptions {
  /** Echoed in the body (and best also in a response header set by the host). */
  requestId?: string;
  /** `Retry-After` for retryable answers that carry no delay of their own (default 1 s). */
  defaultRetryAfterSeconds?: number;
}

// Their messages may describe the deployment (gateway names, driver text): clients get the code only.
const GENERIC_MESSAGES: Partial<Record<ErrorKind, string>> = {
  configuration: "the service is not configured for this request",
  storage: "the service is temporarily unavailable; try again",
};

// A provider's details name its internals (request ids, HTTP statuses, raw types): clients get what
// they act on, the decline reason and whether to retry.
function gatewayDetails(details: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof details.declineCode === "string") out.declineCode = details.declineCode;
  if (typeof details.retryable === "boolean") out.retryable = details.retryable;
  return out;
}

function retryAfterSeconds(error: PlatformError, fallback: number): number | null {
  const ms = error.details.retryAfterMs;
  if (typeof ms === "number" && Number.isFinite(ms) && ms >= 0) return Math.max(1, Math.ceil(ms / 1000));
  const at = error.details.retryAt;
  if (typeof at === "string") {
    const wait = Date.parse(at) - Date.now();
    if (Number.isFinite(wait)) return Math.max(1, Math.ceil(wait / 1000));
  }
  const retryable = error.status === 429 || error.status === 503 || error.details.retryable === true;
  return retryable ? fallback : null;
}

/**
 * Maps any thrown value to an HTTP answer: status from the error's kind (400 validation, 401
 * unauthenticated, 403 forbidden, 404 not found, 409 conflict and idempotency, 422 domain rule,
 * 402 declined payment, 429 rate limited, 503 storage outage or retryable gateway error, 500
 * configuration), a `retry-after` header on retryable answers, and a body with the code, message,
 * field issues and details. Anything that is not a PlatformError becomes a 500 `internal_error`
 * whose message says nothing about it: log the original yourself.
 * @example
 * ```ts
 * app.onError((err, c) => {
 *   const { status, headers, body } = toHttpError(err, { requestId: c.get("requestId") });
 *   return c.json(body, status, headers);
 * });
 * ```
 */
export function toHttpError(error: unknown, options: ToHttpErrorOptions = {}): HttpErrorResponse {
  const requestId = options.requestId === undefined ? {} : { requestId: options.requestId };
  const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8" };
  if (!PlatformError.is(error)) {
    const body: HttpErrorBody = { status: 500, code: "internal_error", kind: "internal", message: "internal error", ...requestId };
    return { status: 500, headers, body };
  }
  const status = error.status;
  const wait = retryAfterSeconds(error, options.defaultRetryAfterSeconds ?? 1);
  if (wait !== null) headers["retry-after"] = String(wait);
  const message = GENERIC_MESSAGES[error.kind] ?? error.message;
  const {
    issues,
    fields: _fields,
    ...rest
  } = error.details as { issues?: readonly ValidationIssue[]; fields?: unknown } & Record<string, unknown>;
  const details = error.kind === "configuration" || error.kind === "storage" ? {} : error.kind === "gateway" ? gatewayDetails(rest) : rest;
  const body: HttpErrorBody = {
    status,
    code: error.code,
    kind: error.kind,
    message,
    ...(Array.isArray(issues) && issues.length > 0
      ? { issues: issues.map((i) => ({ path: [...i.path], message: i.message, code: i.code })) }
      : {}),
    ...(Object.keys(details).length > 0 ? { details } : {}),
    ...requestId,
  };
  return { status, headers, body };
}
