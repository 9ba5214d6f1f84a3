import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ResourceMetrics } from "@opentelemetry/sdk-metrics";
import { createWorker, METRICS, StorageError } from "@platform/core";
import { waitUntil } from "@platform/core/testing";
import { makePlatform } from "./helpers.js";

// Loaded as Node loads them for a host (see observability-tracing.test.ts).
const load = createRequire(import.meta.url);
const { context, metrics, SpanStatusCode, trace } = load("@opentelemetry/api") as typeof import("@opentelemetry/api");
const { AsyncLocalStorageContextManager } = load(
  "@opentelemetry/context-async-hooks",
) as typeof import("@opentelemetry/context-async-hooks");
const { AggregationTemporality, MeterProvider, MetricReader } = load(
  "@opentelemetry/sdk-metrics",
) as typeof import("@opentelemetry/sdk-metrics");
const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = load(
  "@opentelemetry/sdk-trace-base",
) as typeof import("@opentelemetry/sdk-trace-base");

class CollectingReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

const exporter = new InMemorySpanExporter();
const reader = new CollectingReader();
beforeAll(() => {
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
});
afterAll(() => {
  trace.disable();
  context.disable();
  metrics.disable();
});

describe("the worker's spans and metrics", () => {
  it("each duty run is a worker.duty.run span, parent of the service span it calls; a failed run is ERROR with its code", async () => {
    const { platform } = makePlatform();
    const failing = {
      name: "host.always.fails",
      intervalMs: 60_000,
      batchSize: 1,
      run: async () => Promise.reject(new StorageError("storage_unavailable", "storage is unavailable; try again later")),
    };
    const worker = createWorker({ commerce: platform, additionalDuties: [failing] });
    exporter.reset();
    await worker.runOnce("commerce.orders.sweep_payments");
    await worker.runOnce("host.always.fails");
    const spans = exporter.getFinishedSpans();
    const runs = spans.filter((s) => s.name === "worker.duty.run");
    expect(runs.map((s) => s.attributes["platform.duty"])).toEqual(["commerce.orders.sweep_payments", "host.always.fails"]);
    expect(runs[0]!.instrumentationScope.name).toBe("@platform/worker");
    expect(runs[0]!.attributes).toMatchObject({ "platform.outcome": "succeeded", "platform.processed": 0, "platform.batch.size": 100 });
    const sweep = spans.find((s) => s.name === "commerce.orders.sweepPendingPayments")!;
    expect(sweep.parentSpanContext?.spanId).toBe(runs[0]!.spanContext().spanId);
    expect(runs[1]!.status.code).toBe(SpanStatusCode.ERROR);
    expect(runs[1]!.attributes["platform.error.code"]).toBe("storage_unavailable");
  });

  it("records how late each timed run started on the duty lag histogram", async () => {
    const { platform } = makePlatform();
    const worker = createWorker({ commerce: platform, duties: { "commerce.sessions.purge": { intervalMs: 10 } } }).start();
    try {
      await waitUntil(
        () => (worker.health().duties.find((d) => d.name === "commerce.sessions.purge")?.lastOutcome ?? null) === "succeeded",
        "a timed run",
      );
    } finally {
      await worker.stop({ deadlineMs: 5_000 });
    }
    const { resourceMetrics } = (await reader.collect()) as { resourceMetrics: ResourceMetrics };
    const lag = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === METRICS.dutyLag);
    const duties = lag?.dataPoints.map((p) => p.attributes["platform.duty"]) ?? [];
    expect(duties).toContain("commerce.sessions.purge");
  });
});
