import type { ErrorKind } from "./platform-error.js";

/** One entry of a package's error-code table: the error family and when the code is thrown. */
export interface ErrorCodeInfo {
  /** The {@link ErrorKind} of the errors thrown with this code (gives the suggested HTTP status). */
  readonly kind: ErrorKind;
  /** When the code is thrown, in one sentence; the docs' code tables are rendered from it. */
  readonly description: string;
}

/** A package's table of error codes: snake_case code → {@link ErrorCodeInfo}. */
export type ErrorCodeTable = Readonly<Record<string, ErrorCodeInfo>>;

/** The codes of a table as constants: `codes.order_not_found === "order_not_found"`. */
export type ErrorCodes<T extends ErrorCodeTable> = { readonly [K in keyof T & string]: K };

const SNAKE_CASE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

/**
 * Turns a package's error-code table into constants that errors are built from, so a code that
 * is not in the table does not compile.
 *
 * @throws TypeError when a code is not snake_case (a programming error, found at import).
 * @example
 * ```ts
 * const TABLE = { order_not_found: { kind: "not_found", description: "no order with this id is visible to the actor" } } as const;
 * const codes = defineErrorCodes(TABLE);
 * throw NotFoundError.of(codes.order_not_found, "order", "ord_1");
 * ```
 */
export function defineErrorCodes<const T extends ErrorCodeTable>(table: T): ErrorCodes<T> {
  const codes: Record<string, string> = {};
  for (const code of Object.keys(table)) {
    if (!SNAKE_CASE.test(code)) throw new TypeError(`error code ${JSON.stringify(code)} is not snake_case`);
    codes[code] = code;
  }
  return Object.freeze(codes) as ErrorCodes<T>;
}
