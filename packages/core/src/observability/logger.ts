import { PlatformError } from "../errors/platform-error.js";
import { redact, redactText } from "./redact.js";

/**
 * A structured logger, pino-compatible: each method takes an object of fields and a message, so a
 * pino (or bunyan-style) logger can be passed as is. The SDK logs only what it would otherwise
 * swallow (gateway failures, webhook attempt failures, pool errors, notification send failures,
 * subscriber failures, background retries), always with an error `code` and the ids involved.
 * @example
 * ```ts
 * import pino from "pino";
 * const platform = createECommercePlatform({ logger: pino() });
 * ```
 */
export interface Logger {
  error(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  debug(fields: Record<string, unknown>, message: string): void;
}

/** Log levels of a {@link Logger}. */
export type LogLevel = "error" | "warn" | "info" | "debug";

const noop = (): void => undefined;

/** The default logger: writes nothing. */
export const silentLogger: Logger = Object.freeze({ error: noop, warn: noop, info: noop, debug: noop });

/**
 * The loggable view of an error: its stable code, kind and name, and a message scrubbed of anything
 * that looks like a credential. Stacks and causes stay out: a cause may carry provider payloads.
 */
export function errorFields(error: unknown): { code: string; kind?: string; name: string; message: string; retryable?: boolean } {
  if (PlatformError.is(error)) {
    const retryable = (error as { retryable?: unknown }).retryable;
    return {
      code: error.code,
      kind: error.kind,
      name: error.name,
      message: redactText(error.message),
      ...(typeof retryable === "boolean" ? { retryable } : {}),
    };
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      code: typeof code === "string" && /^[A-Za-z0-9_.-]{1,64}$/.test(code) ? code : "unexpected_error",
      name: error.name,
      message: redactText(error.message),
    };
  }
  return { code: "unexpected_error", name: typeof error, message: redactText(String(error)) };
}

/**
 * Writes one log line with secret fields redacted; a logger that throws never breaks the caller.
 * `error`, when given, is logged as `err` ({@link errorFields}) and its `code` is copied to the top
 * level so log queries can filter on `code`.
 * @example
 * ```ts
 * writeLog(logger, "warn", "webhook delivery attempt failed", { deliveryId, endpointId }, error);
 * ```
 */
export function writeLog(logger: Logger, level: LogLevel, message: string, fields: Record<string, unknown>, error?: unknown): void {
  try {
    const line = redact(fields) as Record<string, unknown>;
    if (error !== undefined) {
      const err = errorFields(error);
      line.code ??= err.code;
      line.err = err;
    }
    logger[level](line, message);
  } catch {
    // A broken logger must not turn a logged failure into a thrown one.
  }
}
