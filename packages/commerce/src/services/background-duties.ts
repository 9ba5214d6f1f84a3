import type { BackgroundDuty, PurgeOptions } from "@platform/core";
import type { CommerceStore } from "../ports/commerce-store.js";
import type { InventoryService } from "./inventory-service.js";
import type { NotificationService } from "./notification-service.js";
import type { OrderService } from "./order-service.js";
import type { UserService } from "./user-service.js";

/** The parts of a commerce platform its duties run. */
export interface CommerceDutyParts {
  readonly inventory: InventoryService;
  readonly orders: OrderService;
  readonly users: UserService;
  readonly notifications: NotificationService;
  readonly store: CommerceStore;
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

function full(processed: number, limit: number) {
  return { processed, more: processed >= limit };
}

/**
 * The background duties of a commerce platform, as `createWorker` runs them. Every one claims its
 * rows (`FOR UPDATE SKIP LOCKED`, the sweeper's and the notifications' leases), so any number of
 * workers share them without a lock.
 */
export function commerceDuties(parts: CommerceDutyParts): BackgroundDuty[] {
  const { inventory, orders, users, notifications, store } = parts;
  const duties: BackgroundDuty[] = [
    {
      name: "commerce.notifications.dispatch",
      intervalMs: SECOND,
      batchSize: 100,
      // Sends in order per recipient: what app servers left (retries, a crashed sender's lapsed leases, `sendInProcess: false`).
      // Abandoned by the worker's stop (`signal`): the message in flight is handed back once its send ends unsent.
      run: async (limit, context) => {
        const report = await notifications.dispatchDue({ limit, ...(context ? { signal: context.signal } : {}) });
        return full(report.sent + report.retried + report.failed, limit);
      },
    },
    {
      name: "commerce.reservations.release",
      intervalMs: 10 * SECOND,
      batchSize: 500,
      // Counted by what was released: expired holds of orders whose charge is unknown stay due, and must not keep the loop going.
      run: async (limit) => full(await inventory.releaseExpired({ limit }), limit),
    },
    {
      name: "commerce.orders.sweep_payments",
      intervalMs: 30 * SECOND,
      batchSize: 100,
      maxBatchSize: 1_000,
      // Each claimed order is leased, so the next batch takes others even while these stay unknown.
      run: async (limit, context) => {
        const summary = await orders.sweepPendingPayments({ limit, ...(context ? { signal: context.signal } : {}) });
        return { processed: summary.examined, more: summary.examined >= limit };
      },
    },
    {
      name: "commerce.sessions.purge",
      intervalMs: 5 * MINUTE,
      batchSize: 1_000,
      run: async (limit) => full(await users.purgeEndedSessions({ limit }), limit),
    },
    {
      name: "commerce.login_throttles.purge",
      intervalMs: 5 * MINUTE,
      batchSize: 1_000,
      run: async (limit) => full(await users.purgeLoginThrottles({ limit }), limit),
    },
  ];
  const outbox = store as Partial<{ purgeOutbox(options?: PurgeOptions): Promise<number> }>;
  if (typeof outbox.purgeOutbox === "function") {
    const purge = outbox.purgeOutbox.bind(store);
    duties.push({
      name: "commerce.outbox.purge",
      intervalMs: 5 * MINUTE,
      batchSize: 1_000,
      run: async (limit) => full(await purge({ limit }), limit),
    });
  }
  return duties;
}
