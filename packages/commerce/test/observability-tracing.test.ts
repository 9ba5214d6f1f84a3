import { createRequire } from "node:module";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import type { IsolatedDatabase } from "@platform/core/testing";
import type { ResourceMetrics } from "@opentelemetry/sdk-metrics";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { ManualClock, METRICS } from "@platform/core";
import { createPaymentSystem, TestGateway } from "@platform/payments";
import { paymentPortFor } from "../src/adapters/payments/index.js";
import type { CommerceStore } from "../src/index.js";
import { codeOf, makePlatform, product, signUp } from "./helpers.js";
import { migratedDatabase, storeOn } from "./postgres-helpers.js";

// Loaded as Node loads them for a host (CJS here): the "module" condition of the test runner would
// pick @opentelemetry/api's bundler-only ESM build, which Node cannot run.
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

// A reader the test collects from on demand.
class CollectingReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

const exporter = new InMemorySpanExporter();
const reader = new CollectingReader();

let db: IsolatedDatabase;
beforeAll(async () => {
  db = await migratedDatabase(inject("databaseUrl"), 4);
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
});
afterAll(async () => {
  await db?.drop();
  trace.disable();
  context.disable();
  metrics.disable();
});
beforeEach(() => exporter.reset());

let sku = 0;
async function wired(store?: CommerceStore) {
  const clock = new ManualClock("2026-03-01T10:00:00Z");
  const system = createPaymentSystem({ clock, gateways: { test: new TestGateway() } });
  const ctx = makePlatform({ clock, payments: paymentPortFor(system), ...(store ? { store } : {}) });
  const p = await product(ctx.platform, `OTEL-${++sku}`, "40.00", 5);
  const buyer = await signUp(ctx.platform);
  await ctx.platform.carts.addItem(buyer.actor, { productId: p.id, quantity: 2 });
  exporter.reset();
  return { ...ctx, system, buyer };
}

const parentOf = (s: ReadableSpan): string | undefined => s.parentSpanContext?.spanId;
const childrenOf = (spans: ReadableSpan[], parent: ReadableSpan) => spans.filter((s) => parentOf(s) === parent.spanContext().spanId);
const named = (spans: ReadableSpan[], name: string) => spans.filter((s) => s.name === name);
function descendantsOf(spans: ReadableSpan[], root: ReadableSpan): ReadableSpan[] {
  const out: ReadableSpan[] = [];
  for (const c of childrenOf(spans, root)) out.push(c, ...descendantsOf(spans, c));
  return out;
}

async function counterValue(name: string, attributes: Record<string, string>): Promise<number> {
  const { resourceMetrics } = (await reader.collect()) as { resourceMetrics: ResourceMetrics };
  let total = 0;
  for (const scope of resourceMetrics.scopeMetrics)
    for (const metric of scope.metrics)
      if (metric.descriptor.name === name)
        for (const point of metric.dataPoints)
          if (Object.entries(attributes).every(([k, v]) => point.attributes[k] === v)) total += point.value as number;
  return total;
}

describe("tracing of a checkout paid through @platform/payments", () => {
  const stores: [string, string, () => CommerceStore | undefined][] = [
    ["memory", "MemoryCommerceStore", () => undefined],
    ["postgres", "PostgresCommerceStore", () => storeOn(db)],
  ];
  it.each(stores)(
    "emits the documented spans with their parent/child structure and attributes (%s store)",
    async (_kind, storeClass, makeStore) => {
      const { platform, buyer } = await wired(makeStore());
      const order = await platform.orders.checkout(buyer.actor, {
        idempotencyKey: `otel-checkout-${storeClass}`,
        paymentToken: "pm_card_visa",
      });
      const spans = exporter.getFinishedSpans();

      const [checkout] = named(spans, "commerce.orders.checkout");
      expect(checkout).toBeDefined();
      expect(parentOf(checkout!)).toBeUndefined();
      expect(checkout!.status.code).not.toBe(SpanStatusCode.ERROR);
      expect(checkout!.attributes).toMatchObject({
        "platform.order.id": order.id,
        "platform.customer.id": buyer.actor.id,
        "platform.currency": "USD",
        "platform.amount": "80.00",
        "platform.status": "paid",
      });

      // Direct children: the commerce transactions (place, then mark paid) and the payment call.
      const direct = childrenOf(spans, checkout!).map((s) => s.name);
      expect(direct.filter((n) => n === "commerce.store.transaction").length).toBeGreaterThanOrEqual(2);
      expect(direct).toContain("payments.payments.create");
      for (const tx of named(childrenOf(spans, checkout!), "commerce.store.transaction"))
        expect(tx.attributes["platform.store"]).toBe(storeClass);

      const [create] = named(spans, "payments.payments.create");
      expect(create!.attributes).toMatchObject({
        "platform.payment.id": order.payment.reference,
        "platform.order.id": order.id,
        "platform.amount": "80.00",
        "platform.currency": "USD",
        "platform.status": "succeeded",
      });
      const underCreate = descendantsOf(spans, create!);
      const [authorize] = named(underCreate, "payments.gateway.authorize");
      expect(authorize).toBeDefined();
      expect(authorize!.attributes).toMatchObject({
        "platform.gateway": "test",
        "platform.payment.id": order.payment.reference,
        "platform.amount": "80.00",
        "platform.currency": "USD",
      });
      expect(named(underCreate, "payments.store.transaction").length).toBeGreaterThanOrEqual(2);
      // The gateway is called outside any store transaction.
      expect(named(spans, "payments.store.transaction").map((s) => s.spanContext().spanId)).not.toContain(parentOf(authorize!));
      // No span of the checkout carries the payment method token.
      for (const s of spans) expect(JSON.stringify(s.attributes)).not.toContain("pm_card_visa");
    },
  );

  it("marks a failed checkout and its gateway call ERROR with the error code, and counts checkouts by outcome", async () => {
    const { platform, buyer } = await wired();
    const before = await counterValue(METRICS.checkouts, { "platform.outcome": "card_declined" });
    expect(
      await codeOf(() =>
        platform.orders.checkout(buyer.actor, { idempotencyKey: "otel-checkout-2", paymentToken: "pm_card_chargeDeclined" }),
      ),
    ).toBe("card_declined");
    const spans = exporter.getFinishedSpans();
    const [checkout] = named(spans, "commerce.orders.checkout");
    expect(checkout!.status.code).toBe(SpanStatusCode.ERROR);
    expect(checkout!.attributes["platform.error.code"]).toBe("card_declined");
    const [authorize] = named(descendantsOf(spans, checkout!), "payments.gateway.authorize");
    expect(authorize!.status.code).toBe(SpanStatusCode.ERROR);
    expect(authorize!.attributes["platform.error.code"]).toBe("card_declined");
    expect(await counterValue(METRICS.checkouts, { "platform.outcome": "card_declined" })).toBe(before + 1);

    const placed = await counterValue(METRICS.checkouts, { "platform.outcome": "success" });
    const succeeded = await counterValue(METRICS.payments, { "platform.status": "succeeded" });
    await platform.orders.checkout(buyer.actor, { idempotencyKey: "otel-checkout-3", paymentToken: "pm_card_visa" });
    expect(await counterValue(METRICS.checkouts, { "platform.outcome": "success" })).toBe(placed + 1);
    expect(await counterValue(METRICS.payments, { "platform.status": "succeeded" })).toBe(succeeded + 1);
  });
});
