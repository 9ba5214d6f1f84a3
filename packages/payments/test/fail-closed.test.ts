import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { ConfigurationError } from "@platform/core";
import { createIsolatedDatabase, type IsolatedDatabase } from "@platform/core/testing";
import {
  createPaymentSystem,
  GatewayRegistry,
  MemoryPaymentStore,
  TestGateway,
  type PaymentGateway,
  type PaymentStore,
} from "../src/index.js";
import { migratePayments, PostgresPaymentStore } from "../src/adapters/postgres/index.js";
import { ADMIN } from "./helpers.js";

// Nothing pays by default: gateways are chosen by name, and a test gateway is refused in production
// unless the host opts in.

function configurationCode(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigurationError) return e.code;
    throw e;
  }
  throw new Error("expected a ConfigurationError");
}

/** A gateway that is not a test double (it never gets called here). */
function liveGateway(): PaymentGateway {
  const inner = new TestGateway();
  return {
    describePaymentMethod: (pm) => inner.describePaymentMethod(pm),
    authorize: (r) => inner.authorize(r),
    capture: (r) => inner.capture(r),
    void: (r) => inner.void(r),
    refund: (r) => inner.refund(r),
    retrieve: (r) => inner.retrieve(r),
  };
}

afterEach(() => vi.unstubAllEnvs());

let db: IsolatedDatabase;
beforeAll(async () => {
  db = await createIsolatedDatabase(inject("databaseUrl"), { prefix: "pay_fail_closed", max: 2 });
  await migratePayments(db.pool);
});
afterAll(() => db?.drop());

const stores: [string, () => PaymentStore][] = [
  ["memory", () => new MemoryPaymentStore()],
  ["postgres", () => new PostgresPaymentStore(db.pool)],
];

describe.each(stores)("createPaymentSystem on the %s store", (_name, makeStore) => {
  it("with no gateway is a ConfigurationError that says what to pass", () => {
    for (const gateways of [undefined, {}, new GatewayRegistry()]) {
      let error: unknown;
      try {
        createPaymentSystem({ store: makeStore(), ...(gateways ? { gateways } : {}) });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as ConfigurationError).code).toBe("no_payment_gateway");
      expect((error as Error).message).toContain("gateways: { test: new TestGateway() }");
    }
  });

  it("pays through the test gateway only when it is named", async () => {
    const gateway = new TestGateway();
    const system = createPaymentSystem({ store: makeStore(), gateways: { test: gateway }, webhooks: { autoDispatch: false } });
    const p = await system.payments.create(ADMIN, { amount: { amount: "5.00", currency: "USD" }, paymentMethod: "pm_card_visa" });
    expect(p.status).toBe("succeeded");
    expect(gateway.chargeCount(p.id)).toBe(1);
  });

  it("refuses a test gateway under NODE_ENV=production unless allowTestGateways", () => {
    vi.stubEnv("NODE_ENV", "production");
    expect(configurationCode(() => createPaymentSystem({ store: makeStore(), gateways: { test: new TestGateway() } }))).toBe(
      "test_gateway_in_production",
    );
    expect(
      configurationCode(() => createPaymentSystem({ store: makeStore(), gateways: { live: liveGateway(), test: new TestGateway() } })),
    ).toBe("test_gateway_in_production");
    expect(
      configurationCode(() =>
        createPaymentSystem({ store: makeStore(), gateways: new GatewayRegistry().register("test", new TestGateway()) }),
      ),
    ).toBe("test_gateway_in_production");
    expect(() => createPaymentSystem({ store: makeStore(), gateways: { test: new TestGateway() }, allowTestGateways: true })).not.toThrow();

    // A live system cannot gain a test gateway later either.
    const live = createPaymentSystem({ store: makeStore(), gateways: { live: liveGateway() } });
    expect(configurationCode(() => live.gateways.register("test", new TestGateway()))).toBe("test_gateway_in_production");
    expect(live.gateways.names()).toEqual(["live"]);
  });
});
