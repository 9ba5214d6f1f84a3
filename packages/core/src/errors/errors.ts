import { PlatformError, type PlatformErrorOptions } from "./platform-error.js";
import { coreCodes } from "./core-error-codes.js";

/** One problem found in an input, with the path of the offending field. */
export interface ValidationIssue {
  /** Path from the input root, e.g. `["items", 0, "quantity"]`. */
  readonly path: readonly (string | number)[];
  /** Human-readable description. */
  readonly message: string;
  /** Machine-readable reason (zod's issue code or a custom one). */
  readonly code: string;
}

/** Options of a {@link ValidationError}: the problems found, each with its field path. */
export interface ValidationErrorOptions extends PlatformErrorOptions {
  issues?: readonly ValidationIssue[];
}

/**
 * Input was rejected before anything changed. `issues` names every bad field.
 *
 * Codes: `validation_failed` for a generic problem, or a specific one such as
 * `invalid_amount`, `amount_precision`, `unknown_currency`, `invalid_cursor`.
 */
export class ValidationError extends PlatformError {
  /** Every problem found, each with its field path. */
  readonly issues: readonly ValidationIssue[];

  constructor(code: string, message: string, options: ValidationErrorOptions = {}) {
    const { issues = [], ...rest } = options;
    super("validation", code, message, {
      ...rest,
      details: { ...(rest.details ?? {}), fields: [...new Set(issues.map((i) => i.path.join(".")))], issues },
    });
    this.issues = issues;
  }

  /**
   * Builds a ValidationError for a single field.
   * @example
   * ```ts
   * throw ValidationError.field(coreCodes.invalid_quantity, "items.0.quantity", "must be at least 1");
   * ```
   */
  static field(code: string, path: string | readonly (string | number)[], message: string): ValidationError {
    const p = typeof path === "string" ? path.split(".").filter(Boolean) : [...path];
    return new ValidationError(code, `${p.join(".") || "input"}: ${message}`, { issues: [{ path: p, message, code }] });
  }
}

/** A referenced resource does not exist (or is invisible to the actor), e.g. `order_not_found`. */
export class NotFoundError extends PlatformError {
  constructor(code: string, message: string, options: PlatformErrorOptions = {}) {
    super("not_found", code, message, options);
  }

  /**
   * Builds the error for one missing resource, with `details.resource` and `details.id`.
   * @example
   * ```ts
   * throw NotFoundError.of("order_not_found", "order", orderId);
   * ```
   */
  static of(code: string, resource: string, id: string, options: PlatformErrorOptions = {}): NotFoundError {
    return new NotFoundError(code, `${resource} ${id} not found`, { ...options, details: { resource, id, ...(options.details ?? {}) } });
  }
}

/** The change clashes with current state: a duplicate or a stale version, e.g. `version_conflict`. */
export class ConflictError extends PlatformError {
  constructor(code: string, message: string, options: PlatformErrorOptions = {}) {
    super("conflict", code, message, options);
  }
}

/** A business rule forbids the operation, e.g. `insufficient_stock`, `invalid_transition`. */
export class DomainRuleError extends PlatformError {
  constructor(code: string, message: string, options: PlatformErrorOptions = {}) {
    super("domain_rule", code, message, options);
  }
}

/** The actor is known but may not do this, e.g. `role_required`. */
export class ForbiddenError extends PlatformError {
  constructor(code: string, message: string, options: PlatformErrorOptions = {}) {
    super("forbidden", code, message, options);
  }
}

/** The actor could not be identified: bad credentials, unknown or expired session. */
export class AuthenticationError extends PlatformError {
  constructor(code: string, message: string, options: PlatformErrorOptions = {}) {
    super("unauthenticated", code, message, options);
  }
}

/** Options of a {@link GatewayError}. */
export interface GatewayErrorOptions extends PlatformErrorOptions {
  /** Name of the provider that failed, e.g. `stripe`. */
  provider: string;
  /** True when the same request may succeed if sent again (timeouts, 5xx before a charge). */
  retryable: boolean;
  /** The provider's decline code, e.g. `card_declined`, `insufficient_funds`. */
  declineCode?: string;
}

/**
 * A payment or messaging provider refused or failed a request. Suggested status: 402 when the
 * request definitely failed (a decline), 503 when it is `retryable` (the outcome may be unknown).
 */
export class GatewayError extends PlatformError {
  readonly provider: string;
  readonly retryable: boolean;
  readonly declineCode: string | undefined;

  constructor(code: string, message: string, options: GatewayErrorOptions) {
    super("gateway", code, message, {
      status: options.retryable ? 503 : 402,
      ...options,
      details: { provider: options.provider, retryable: options.retryable, declineCode: options.declineCode, ...(options.details ?? {}) },
    });
    this.provider = options.provider;
    this.retryable = options.retryable;
    this.declineCode = options.declineCode;
  }
}

/** An idempotency key was reused with other parameters (`idempotency_conflict`) or is in use. */
export class IdempotencyError extends PlatformError {
  constructor(code: string, message: string, options: PlatformErrorOptions = {}) {
    super("idempotency", code, message, options);
  }
}

/** The SDK was wired wrongly (unknown gateway name, missing peer dependency ...). */
export class ConfigurationError extends PlatformError {
  constructor(code: string, message: string, options: PlatformErrorOptions = {}) {
    super("configuration", code, message, options);
  }
}

/** The storage backend failed (lost connection, timeout); the operation was rolled back. */
export class StorageError extends PlatformError {
  constructor(code: string, message: string, options: PlatformErrorOptions = {}) {
    super("storage", code, message, options);
  }
}

/** Options of a {@link RateLimitError}. */
export interface RateLimitErrorOptions extends PlatformErrorOptions {
  /** How long the caller should wait before trying again, in milliseconds. */
  retryAfterMs: number;
}

/** Too many requests of one kind (login guesses, calls per client): try again after `retryAfterMs`. */
export class RateLimitError extends PlatformError {
  /** How long the caller should wait before trying again, in milliseconds. */
  readonly retryAfterMs: number;

  constructor(code: string, message: string, options: RateLimitErrorOptions) {
    super("rate_limited", code, message, { ...options, details: { retryAfterMs: options.retryAfterMs, ...(options.details ?? {}) } });
    this.retryAfterMs = options.retryAfterMs;
  }
}
