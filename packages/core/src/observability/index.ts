export { type Logger, type LogLevel, silentLogger, errorFields, writeLog } from "./logger.js";
export { redact, redactText, isSecretField, REDACTED } from "./redact.js";
export { withSpan, errorCodeOf, type SpanHandle } from "./tracing.js";
export { traceService, traceTransactions, callAttributes, type TraceServiceOptions } from "./service-tracing.js";
export { countMetric, recordDutyLag, METRICS } from "./metrics.js";
export type { Attributes, AttributeValue } from "./telemetry-api.js";
