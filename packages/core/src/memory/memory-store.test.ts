import { describe, expect, it } from "vitest";
import { ManualClock } from "../clock/clock.js";
import { PlatformError } from "../errors/platform-error.js";
import { createEvent, type DomainEvent } from "../events/domain-event.js";
import type { EventOutbox } from "../transactions/unit-of-work.js";
import type { MemoryTable } from "./memory-table.js";
import { MemoryStore } from "./memory-store.js";
import type { MemoryTransaction } from "./memory-transaction-runner.js";

interface Item {
  id: string;
  sku: string;
  tag: string;
  stock: number;
}
interface Tx {
  items: MemoryTable<Item, "sku", "tag">;
  outbox: EventOutbox;
}

class TestStore extends MemoryStore<Tx> {
  readonly items = this.table<Item, "sku", "tag">("items", {
    id: (i) => i.id,
    unique: { sku: { key: (i) => i.sku.toLowerCase(), code: "sku_taken" } },
    indexes: { tag: (i) => i.tag },
  });
  protected createTransaction(tx: MemoryTransaction): Tx {
    return { items: this.items, outbox: tx };
  }
}

const clock = new ManualClock();

describe("MemoryStore", () => {
  it("rolls back every change, index included, and publishes nothing", async () => {
    const store = new TestStore();
    const published: DomainEvent[] = [];
    store.setEventPublisher((events) => published.push(...events));
    await store.transaction(async (tx) => {
      tx.items.insert({ id: "a", sku: "A", tag: "x", stock: 1 });
      tx.outbox.add(createEvent("item.created", { id: "a" }, clock));
    });
    expect(published.map((e) => e.type)).toEqual(["item.created"]);
    await expect(
      store.transaction(async (tx) => {
        tx.items.put({ id: "a", sku: "A2", tag: "y", stock: 5 });
        tx.items.insert({ id: "b", sku: "B", tag: "x", stock: 1 });
        tx.items.delete("a");
        tx.outbox.add(createEvent("item.changed", { id: "a" }, clock));
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(published).toHaveLength(1);
    expect(store.items.get("a")).toEqual({ id: "a", sku: "A", tag: "x", stock: 1 });
    expect(store.items.has("b")).toBe(false);
    expect(store.items.getByUnique("sku", "a")?.id).toBe("a");
    expect(store.items.getByUnique("sku", "a2")).toBeUndefined();
    expect(store.items.findBy("tag", "x").map((i) => i.id)).toEqual(["a"]);
    expect(store.items.countBy("tag", "y")).toBe(0);
  });

  it("enforces unique keys with the index's code", async () => {
    const store = new TestStore();
    await store.transaction(async (tx) => void tx.items.insert({ id: "a", sku: "Sku", tag: "x", stock: 1 }));
    const err = await store
      .transaction(async (tx) => tx.items.insert({ id: "b", sku: "SKU", tag: "x", stock: 1 }))
      .catch((e: unknown) => e);
    expect(PlatformError.is(err, "sku_taken")).toBe(true);
  });

  it("serialises concurrent transactions: read-modify-write never loses an update", async () => {
    const store = new TestStore();
    await store.transaction(async (tx) => void tx.items.insert({ id: "a", sku: "A", tag: "x", stock: 0 }));
    const order: string[] = [];
    await Promise.all(
      Array.from({ length: 50 }, (_, n) =>
        store.transaction(async (tx) => {
          order.push(`start${n}`);
          const row = tx.items.get("a")!;
          await new Promise((r) => setTimeout(r, 0)); // yield mid-transaction
          tx.items.put({ ...row, stock: row.stock + 1 });
          order.push(`end${n}`);
        }),
      ),
    );
    expect(store.items.get("a")!.stock).toBe(50);
    for (let n = 0; n < 50; n++) expect(order.slice(2 * n, 2 * n + 2)).toEqual([`start${n}`, `end${n}`]);
  });

  it("joins a nested transaction instead of deadlocking, and refuses writes outside one", async () => {
    const store = new TestStore();
    await store.transaction(async () => store.transaction(async (tx) => void tx.items.insert({ id: "n", sku: "N", tag: "x", stock: 1 })));
    expect(store.items.has("n")).toBe(true);
    expect(() => store.items.insert({ id: "z", sku: "Z", tag: "x", stock: 1 })).toThrow(
      expect.objectContaining({ code: "transaction_required" }),
    );
  });

  it("keeps rows frozen", async () => {
    const store = new TestStore();
    const row = await store.transaction(async (tx) => tx.items.insert({ id: "f", sku: "F", tag: "x", stock: 1 }));
    expect(Object.isFrozen(row)).toBe(true);
  });
});
