import { PlatformError } from "../errors/platform-error.js";
import { StorageError } from "../errors/errors.js";
import { coreCodes } from "../errors/core-error-codes.js";

/** SQLSTATEs that mean "run the whole transaction again": serialization failure, deadlock. */
export const RETRYABLE_SQLSTATES: ReadonlySet<string> = new Set(["40001", "40P01"]);

/** The SQLSTATE of a node-postgres error, if any. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** True for a serialization failure or deadlock. */
export function isRetryableTransactionError(error: unknown): boolean {
  const state = sqlState(error);
  return state !== undefined && RETRYABLE_SQLSTATES.has(state);
}

const CONNECTION_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "ENOTFOUND", "EHOSTUNREACH"]);

/**
 * Maps infrastructure failures to `StorageError` (`storage_unavailable`): lost or refused
 * connections, admin shutdowns (57P01-57P03), connection exceptions (08xxx), statement and
 * lock timeouts (57014, 55P03), exhausted retries. PlatformErrors pass through unchanged.
 * The message is generic and `details` hold only the SQLSTATE: the driver's text names hosts,
 * ports, users and databases, and a host app may return `toJSON()` to clients, so the driver
 * error stays in `cause` (for logs) only.
 */
export function toStorageError(error: unknown): unknown {
  if (PlatformError.is(error)) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const state = sqlState(error);
  const message = error instanceof Error ? error.message : String(error);
  const connectionLost =
    (typeof code === "string" && CONNECTION_CODES.has(code)) ||
    /Connection terminated|connection is closed|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(
      message,
    );
  if (
    connectionLost ||
    (state &&
      (state.startsWith("08") ||
        state === "57P01" ||
        state === "57P02" ||
        state === "57P03" ||
        state === "57014" ||
        state === "55P03" ||
        state === "53300"))
  ) {
    return new StorageError(coreCodes.storage_unavailable, "storage is unavailable; try again later", {
      cause: error,
      details: { retryable: true, ...(state ? { sqlState: state } : {}) },
    });
  }
  return error;
}
