import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestGateway } from "../src/index.js";
import { ADMIN, makeSystem, paymentStores, slowGateway, usd } from "./helpers.js";

// A settlement updates the payment from the version its caller wrote, without reading it first; these
// prove it yields when another writer changed the payment while the gateway call was in flight.
describe.each(paymentStores())("a settlement racing another writer on $name", (fixture) => {
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());

  it("records the capture once on the payment as changed meanwhile: the versioned update yields to a locked re-read", async () => {
    const store = fixture.make();
    const slow = slowGateway(new TestGateway());
    const { system } = makeSystem({ store, gateways: { test: slow.gateway } });
    const p = await system.payments.create(ADMIN, { amount: usd("10"), paymentMethod: "pm_card_visa", captureMethod: "manual" });
    slow.hold("capture");
    const capturing = system.payments.capture(ADMIN, { paymentId: p.id, idempotencyKey: "race-capture" });
    await slow.entered("capture", 1);
    // Another writer changes the payment while its capture is at the gateway.
    await store.transaction(async (tx) => {
      const cur = (await tx.payments.getForUpdate(p.id))!;
      await tx.payments.update({ ...cur, metadata: { touched: "meanwhile" }, version: cur.version + 1 });
    });
    slow.release("capture");
    const captured = await capturing;
    expect([captured.status, captured.amountCaptured.toFixed()]).toEqual(["succeeded", "10.00"]);
    // Settled from the payment as re-read: the other writer's change is kept, the version counts every write.
    expect(captured.metadata).toEqual({ touched: "meanwhile" });
    expect(captured.version).toBe(p.version + 3);
    expect(await system.payments.get(ADMIN, { paymentId: p.id })).toEqual(captured);
    const ledger = (await system.transactions.listByPayment(ADMIN, { paymentId: p.id })).items;
    expect(ledger.map((t) => t.type)).toEqual(["authorization", "capture"]);
    // The key replays the settled capture.
    expect(await system.payments.capture(ADMIN, { paymentId: p.id, idempotencyKey: "race-capture" })).toEqual(captured);
  });

  it("records the authorisation of a payment changed during its gateway call", async () => {
    const store = fixture.make();
    const slow = slowGateway(new TestGateway());
    const { system } = makeSystem({ store, gateways: { test: slow.gateway } });
    slow.hold("authorize");
    const creating = system.payments.create(ADMIN, {
      amount: usd("12"),
      paymentMethod: "pm_card_visa",
      orderId: "order_race",
      idempotencyKey: "race-create",
    });
    await slow.entered("authorize", 1);
    const id = (await system.payments.findByIdempotencyKey(ADMIN, { idempotencyKey: "race-create" }))!.id;
    await store.transaction(async (tx) => {
      const cur = (await tx.payments.getForUpdate(id))!;
      await tx.payments.update({ ...cur, description: "changed meanwhile", version: cur.version + 1 });
    });
    slow.release("authorize");
    const created = await creating;
    expect([created.status, created.description, created.version]).toEqual(["succeeded", "changed meanwhile", 3]);
    expect(await system.payments.get(ADMIN, { paymentId: id })).toEqual(created);
    const ledger = (await system.transactions.listByPayment(ADMIN, { paymentId: id })).items;
    expect(ledger.map((t) => t.type)).toEqual(["authorization", "capture"]);
  });
});
