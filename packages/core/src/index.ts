/**
 * @platform/core: money, ids, errors, validation, events, clock, transactions and
 * pagination shared by the \@platform domain packages.
 * @packageDocumentation
 */
export { PlatformError, type ErrorDetails, type ErrorKind, type PlatformErrorOptions } from "./errors/platform-error.js";
export {
  ValidationError,
  NotFoundError,
  ConflictError,
  DomainRuleError,
  ForbiddenError,
  AuthenticationError,
  GatewayError,
  IdempotencyError,
  ConfigurationError,
  StorageError,
  RateLimitError,
  type ValidationIssue,
  type ValidationErrorOptions,
  type GatewayErrorOptions,
  type RateLimitErrorOptions,
} from "./errors/errors.js";
export { defineErrorCodes, type ErrorCodeInfo, type ErrorCodeTable, type ErrorCodes } from "./errors/error-codes.js";
export { CORE_ERROR_CODES, coreCodes, type CoreErrorCode } from "./errors/core-error-codes.js";
export { type Actor, ANONYMOUS_ACTOR, checkActor, hasRole, requireRole, requireActorId } from "./actor/actor.js";
export { toHttpError, type HttpErrorBody, type HttpErrorResponse, type ToHttpErrorOptions } from "./errors/http-error.js";
export { Money, type MoneyJSON, type AmountInput } from "./money/money.js";
export { MAX_AMOUNT_DIGITS } from "./money/money-input.js";
export { Decimal, DEFAULT_ROUNDING, type RoundingMode, type DecimalValue } from "./money/decimal.js";
export { CURRENCY_CODES, isCurrencyCode, minorUnits, type CurrencyCode } from "./money/currencies.js";
export { createId, isId, ID_RANDOM_LENGTH, type Id } from "./ids/id.js";
export { type Clock, systemClock, ManualClock, durationMs, type DurationInput } from "./clock/clock.js";
export { parse } from "./validation/parse.js";
export {
  emailSchema,
  boundedString,
  quantitySchema,
  urlSchema,
  idSchema,
  moneyInputSchema,
  positiveMoneySchema,
  metadataSchema,
  withErrorCode,
  purgeOptionsSchema,
  DEFAULT_PURGE_LIMIT,
  type PurgeOptions,
} from "./validation/schemas.js";
export { type DomainEvent, type EventMap, type AnyEventOf, createEvent } from "./events/domain-event.js";
export { EventBus, type EventBusOptions, type EventHandler, type EventErrorHook } from "./events/event-bus.js";
export { type UnitOfWork, type EventOutbox, type EventPublisher } from "./transactions/unit-of-work.js";
export { together } from "./transactions/together.js";
export { MemoryStore } from "./memory/memory-store.js";
export { recordSchema } from "./validation/record-schema.js";
export { MemoryTable, type MemoryTableOptions, type UniqueIndexDefinition, type IndexDefinition } from "./memory/memory-table.js";
export { MemoryTransactionRunner, MemoryTransaction } from "./memory/memory-transaction-runner.js";
export {
  CursorCodec,
  defaultCursorCodec,
  MIN_CURSOR_SECRET_LENGTH,
  paginate,
  pageRequestSchema,
  type Page,
  type PageRequest,
  type SortKey,
} from "./pagination/cursor.js";
export {
  type Logger,
  type LogLevel,
  silentLogger,
  errorFields,
  writeLog,
  redact,
  redactText,
  isSecretField,
  REDACTED,
  withSpan,
  errorCodeOf,
  type SpanHandle,
  traceService,
  traceTransactions,
  callAttributes,
  type TraceServiceOptions,
  countMetric,
  recordDutyLag,
  METRICS,
  type Attributes,
  type AttributeValue,
} from "./observability/index.js";
export {
  type BackgroundDuty,
  type DutyBatchResult,
  type DutyLock,
  type DutyRunContext,
  type DutySource,
  isDutyLock,
} from "./worker/background-duty.js";
export type { DutyHealth, DutySettings } from "./worker/duty-runner.js";
export {
  createWorker,
  type Worker,
  type WorkerOptions,
  type DutyOptions,
  type WorkerStopOptions,
  type WorkerStopReport,
  type WorkerHealth,
} from "./worker/create-worker.js";
