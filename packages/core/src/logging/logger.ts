/**
 * The logging interface the SDK writes to: pino's calling convention (a context object, then a
 * message), so a pino logger (or a child of one) is passed as is. Log lines carry codes and ids,
 * never secrets, tokens, card data or passwords.
 * @example
 * ```ts
 * import pino from "pino";
 * const worker = createWorker({ payments, logger: pino() });
 * ```
 */
export interface Logger {
  debug(obj: Record<string, unknown>, msg: string): void;
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

const noop = (): void => undefined;

/** The default logger: writes nothing. */
export const silentLogger: Logger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop });
