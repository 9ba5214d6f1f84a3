/** Free-form, JSON-safe context attached to an error (field names, ids, limits ...). */
export type ErrorDetails = Readonly<Record<string, unknown>>;

/** The broad family an error belongs to; host apps map it to a transport status. */
export type ErrorKind =
  | "validation"
  | "not_found"
  | "conflict"
  | "domain_rule"
  | "forbidden"
  | "unauthenticated"
  | "gateway"
  | "idempotency"
  | "configuration"
  | "storage"
  | "rate_limited";

/** Options shared by every {@link PlatformError} constructor. */
export interface PlatformErrorOptions {
  /** Structured context, safe to return to a client. */
  details?: ErrorDetails;
  /** The underlying error, kept for logs (never serialised by `toJSON`). */
  cause?: unknown;
  /** Overrides the suggested HTTP status of the error's kind (see {@link PlatformError.status}). */
  status?: number;
}

// A registry symbol, so two installed copies of @platform/core recognise each other's errors.
const PLATFORM_ERROR = Symbol.for("@platform/core/PlatformError");

const HTTP_STATUS: Record<ErrorKind, number> = {
  validation: 400,
  not_found: 404,
  conflict: 409,
  domain_rule: 422,
  forbidden: 403,
  unauthenticated: 401,
  // A non-retryable gateway failure is a payment failure (402, as Stripe answers a decline); the
  // GatewayError constructor answers 503 for a retryable one. 5xx would make proxies retry a decline.
  gateway: 402,
  idempotency: 409,
  configuration: 500,
  storage: 503,
  rate_limited: 429,
};

/**
 * Base class of every error the SDK throws, with a stable snake_case `code`.
 *
 * Tests and host apps branch on `code` (and `kind`), never on the message.
 *
 * @example
 * ```ts
 * try { await platform.orders.checkout(input); }
 * catch (e) { if (PlatformError.is(e, "insufficient_stock")) showSoldOut(); else throw e; }
 * ```
 */
export class PlatformError extends Error {
  /** Stable machine-readable code, e.g. `currency_mismatch`. */
  readonly code: string;
  /** The family of the error. */
  readonly kind: ErrorKind;
  /** Structured context. */
  readonly details: ErrorDetails;
  /** Suggested HTTP status for host apps that expose the SDK over HTTP. */
  readonly status: number;

  constructor(kind: ErrorKind, code: string, message: string, options: PlatformErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.kind = kind;
    this.code = code;
    this.details = Object.freeze({ ...(options.details ?? {}) });
    this.status = options.status ?? HTTP_STATUS[kind];
    Object.defineProperty(this, PLATFORM_ERROR, { value: true, enumerable: false });
  }

  /**
   * True when `error` is a PlatformError from any installed copy of the SDK,
   * optionally with the given code.
   */
  static is(error: unknown, code?: string): error is PlatformError {
    if (typeof error !== "object" || error === null) return false;
    if ((error as Record<symbol, unknown>)[PLATFORM_ERROR] !== true) return false;
    return code === undefined || (error as PlatformError).code === code;
  }

  /** A JSON-safe view: name, kind, code, message and details (the cause stays private). */
  toJSON(): { name: string; kind: ErrorKind; code: string; message: string; details: ErrorDetails } {
    return { name: this.name, kind: this.kind, code: this.code, message: this.message, details: this.details };
  }
}
