import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { ConfigurationError } from "@platform/core";
import type { IsolatedDatabase } from "@platform/core/testing";
import { createECommercePlatform, MemoryCommerceStore, testPaymentPort, type CommerceStore, type PaymentPort } from "../src/index.js";
import { PostgresCommerceStore } from "../src/adapters/postgres/index.js";
import { codeOf, makePlatform, product, signUp, ANONYMOUS_ACTOR } from "./helpers.js";
import { migratedDatabase } from "./postgres-helpers.js";

// Nothing pays by default: the test port is chosen by name, a platform without a port never marks an
// order paid, and a persistent store or production refuses to build without a real one.

function codeOfSync(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigurationError) return e.code;
    throw e;
  }
  throw new Error("expected a ConfigurationError");
}

afterEach(() => vi.unstubAllEnvs());

describe("a platform built without a payment port", () => {
  it("serves the catalog and carts in memory, and checkout fails closed with no_payment_port: nothing reserved, nothing changed", async () => {
    const { platform } = makePlatform({ payments: undefined });
    const p = await product(platform, "FC-1", "25.00", 4);
    const { actor } = await signUp(platform);
    await platform.carts.addItem(actor, { productId: p.id, quantity: 2 });
    const before = await platform.carts.get(actor);

    for (const paymentToken of ["tok_visa", undefined]) {
      expect(
        await codeOf(() =>
          platform.orders.checkout(actor, { idempotencyKey: `fc-${paymentToken}`, ...(paymentToken ? { paymentToken } : {}) }),
        ),
      ).toBe("no_payment_port");
    }
    expect(await platform.inventory.getStock(ANONYMOUS_ACTOR, { productId: p.id })).toMatchObject({ onHand: 4, reserved: 0, sold: 0 });
    expect((await platform.orders.list(actor)).items).toEqual([]);
    expect(await platform.carts.get(actor)).toEqual(before);
  });

  it("refuses to build on a store other than the in-memory one", () => {
    // Any store of the host's own (a persistent one, presumably) counts as production-like.
    const custom = { setEventPublisher() {}, transaction: async () => undefined } as unknown as CommerceStore;
    expect(codeOfSync(() => createECommercePlatform({ store: custom }))).toBe("no_payment_port");
  });

  it("refuses to build under NODE_ENV=production, even in memory", () => {
    vi.stubEnv("NODE_ENV", "production");
    expect(codeOfSync(() => createECommercePlatform())).toBe("no_payment_port");
    expect(codeOfSync(() => createECommercePlatform({ store: new MemoryCommerceStore() }))).toBe("no_payment_port");
  });
});

describe("test payment ports in production", () => {
  it("are refused unless the host opts in with allowTestPaymentPort", () => {
    vi.stubEnv("NODE_ENV", "production");
    expect(codeOfSync(() => createECommercePlatform({ payments: testPaymentPort() }))).toBe("test_payment_port_in_production");
    expect(() => createECommercePlatform({ payments: testPaymentPort(), allowTestPaymentPort: true })).not.toThrow();
    const real: PaymentPort = {
      charge: async () => ({ reference: "ch_1" }),
      retrieve: async () => ({ status: "not_found" }),
      refund: async () => ({ reference: "re_1" }),
    };
    expect(() => createECommercePlatform({ payments: real })).not.toThrow();
  });

  it("are used when named outside production", async () => {
    const payments = testPaymentPort();
    const { platform } = makePlatform({ payments });
    const p = await product(platform, "FC-2", "10.00", 1);
    const { actor } = await signUp(platform);
    await platform.carts.addItem(actor, { productId: p.id, quantity: 1 });
    const order = await platform.orders.checkout(actor, { idempotencyKey: "fc-named", paymentToken: "tok_visa" });
    expect(order.status).toBe("paid");
    expect(payments.charges).toHaveLength(1);
  });
});

describe("on PostgreSQL", () => {
  let db: IsolatedDatabase;
  beforeAll(async () => {
    db = await migratedDatabase(inject("databaseUrl"), 2);
  });
  afterAll(() => db?.drop());

  it("building without a payment port is a ConfigurationError that says what to pass", () => {
    let error: unknown;
    try {
      createECommercePlatform({ store: new PostgresCommerceStore(db.pool) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).code).toBe("no_payment_port");
    expect((error as Error).message).toContain("payments");
    expect(() => createECommercePlatform({ store: new PostgresCommerceStore(db.pool), payments: testPaymentPort() })).not.toThrow();
  });
});
