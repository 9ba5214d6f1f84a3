import { PlatformError } from "../errors/platform-error.js";
import { otelApi, tracerRegistered, type Attributes, type AttributeValue, type OtelSpan } from "./telemetry-api.js";

/** What a traced function can add to its span once it knows more (ids created, outcome). */
export interface SpanHandle {
  setAttributes(attributes: Record<string, AttributeValue | undefined>): void;
  /** Marks the span failed (status ERROR, `platform.error.code`) without throwing: for outcomes returned as values. */
  setError(code: string): void;
}

const NOOP_SPAN: SpanHandle = { setAttributes: () => undefined, setError: () => undefined };

// Span names are `<package>.<...>`; each package reports through its own tracer, `@platform/<package>`.
function tracerName(spanName: string): string {
  const dot = spanName.indexOf(".");
  return `@platform/${dot > 0 ? spanName.slice(0, dot) : spanName}`;
}

function defined(attributes: Record<string, AttributeValue | undefined>): Attributes {
  const out: Attributes = {};
  for (const [k, v] of Object.entries(attributes)) if (v !== undefined) out[k] = v;
  return out;
}

/** The error code a span and a metric report for a failure: the PlatformError code, else `unexpected_error`. */
export function errorCodeOf(error: unknown): string {
  return PlatformError.is(error) ? error.code : "unexpected_error";
}

function markFailed(span: OtelSpan, code: string, errorStatus: number): void {
  span.setAttribute("platform.error.code", code);
  span.setStatus({ code: errorStatus, message: code });
}

function fail(span: OtelSpan, error: unknown, errorStatus: number): void {
  const code = errorCodeOf(error);
  span.setAttribute("platform.error.code", code);
  // The message can carry provider text: the exception event gets the code and the error name only.
  span.recordException({ name: error instanceof Error ? error.name : "Error", message: code, code });
  span.setStatus({ code: errorStatus, message: code });
}

/**
 * Runs `fn` inside an active OpenTelemetry span named `name` (spans started inside become its
 * children). On throw or rejection the span gets status ERROR and `platform.error.code`, and the
 * error is rethrown unchanged. Without `@opentelemetry/api` installed it just calls `fn`. The worker
 * wraps each duty run with it (`worker.duty.run`).
 * @example
 * ```ts
 * await withSpan("worker.duty.run", { "platform.duty": "webhooks.dispatch_due" }, async (span) => {
 *   const n = await system.webhooks.dispatchDue();
 *   span.setAttributes({ "platform.batch.size": n });
 * });
 * ```
 */
export function withSpan<R>(name: string, attributes: Record<string, AttributeValue | undefined>, fn: (span: SpanHandle) => R): R {
  const api = otelApi();
  if (!api || !tracerRegistered(api)) return fn(NOOP_SPAN);
  const errorStatus = api.SpanStatusCode.ERROR;
  return api.trace.getTracer(tracerName(name)).startActiveSpan(name, { attributes: defined(attributes) }, (span) => {
    const handle: SpanHandle = {
      setAttributes: (a) => void span.setAttributes(defined(a)),
      setError: (code) => markFailed(span, code, errorStatus),
    };
    let result: R;
    try {
      result = fn(handle);
    } catch (error) {
      fail(span, error, errorStatus);
      span.end();
      throw error;
    }
    if (result instanceof Promise) {
      return result.then(
        (value: unknown) => {
          span.end();
          return value;
        },
        (error: unknown) => {
          fail(span, error, errorStatus);
          span.end();
          throw error;
        },
      ) as R;
    }
    span.end();
    return result;
  });
}
