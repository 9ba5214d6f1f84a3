import { isDutyLock, type BackgroundDuty, type PurgeOptions } from "@platform/core";
import type { PaymentStore } from "../ports/payment-store.js";
import type { MaintenanceService } from "./maintenance-service.js";
import type { PaymentService } from "./payment-service.js";
import type { RefundService } from "./refund-service.js";
import type { WebhookService } from "./webhook-service.js";

/** The parts of a payment system its duties run. */
export interface PaymentDutyParts {
  readonly payments: PaymentService;
  readonly refunds: RefundService;
  readonly webhooks: WebhookService;
  readonly maintenance: MaintenanceService;
  readonly store: PaymentStore;
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

function full(processed: number, limit: number) {
  return { processed, more: processed >= limit };
}

/**
 * The background duties of a payment system, as `createWorker` runs them. Webhook deliveries,
 * expired authorisations and the purges are claimed row by row (leases, `FOR UPDATE SKIP LOCKED`),
 * so any number of workers share them; the two reconciliations and the expiry of customer actions
 * walk what is pending without claiming it, so on a store that offers a lock (PostgreSQL) one worker
 * at a time runs each.
 */
export function paymentDuties(parts: PaymentDutyParts): BackgroundDuty[] {
  const { payments, refunds, webhooks, maintenance, store } = parts;
  const lock = isDutyLock(store) ? store : undefined;
  const duties: BackgroundDuty[] = [
    {
      name: "payments.webhooks.dispatch",
      intervalMs: SECOND,
      batchSize: 100,
      maxBatchSize: 1_000,
      // One batch per call: the worker chains them, and stops between them on shutdown.
      run: async (limit) => full(await webhooks.dispatchDue({ limit, maxBatches: 1 }), limit),
    },
    {
      name: "payments.payments.reconcile",
      intervalMs: 30 * SECOND,
      batchSize: 100,
      maxBatchSize: 1_000,
      // One batch per run: a payment the gateway still reports pending stays due, so chaining batches could loop on it.
      run: async (limit) => ({ processed: (await payments.reconcileDue({ limit })).length, more: false }),
      ...(lock ? { lock } : {}),
    },
    {
      name: "payments.refunds.reconcile",
      intervalMs: 30 * SECOND,
      batchSize: 100,
      maxBatchSize: 1_000,
      // Refunds still pending after their retry stay first in the list: one batch per run, never a loop on them.
      run: async (limit) => ({ processed: (await refunds.reconcilePending({ limit })).length, more: false }),
      ...(lock ? { lock } : {}),
    },
    {
      name: "payments.authorizations.expire",
      intervalMs: MINUTE,
      batchSize: 100,
      maxBatchSize: 1_000,
      run: async (limit) => full((await payments.expireAuthorizations({ limit })).length, limit),
    },
    {
      name: "payments.actions.expire",
      intervalMs: MINUTE,
      batchSize: 100,
      maxBatchSize: 1_000,
      // Walks expired customer actions without claiming them: one worker at a time. A run that left
      // some for an unreachable gateway does not loop on them.
      run: async (limit) => {
        const s = await payments.expireActions({ limit });
        return { processed: s.canceled + s.completed + s.deferred, more: s.deferred === 0 && s.canceled + s.completed >= limit };
      },
      ...(lock ? { lock } : {}),
    },
    {
      name: "payments.idempotency_keys.purge",
      intervalMs: 5 * MINUTE,
      batchSize: 1_000,
      run: async (limit) => full(await maintenance.purgeIdempotencyKeys({ limit }), limit),
    },
    {
      name: "payments.webhook_deliveries.purge",
      intervalMs: 5 * MINUTE,
      batchSize: 1_000,
      run: async (limit) => full(await maintenance.purgeWebhookDeliveries({ limit }), limit),
    },
    {
      name: "payments.gateway_events.purge",
      intervalMs: 5 * MINUTE,
      batchSize: 1_000,
      run: async (limit) => full(await maintenance.purgeGatewayEvents({ limit }), limit),
    },
  ];
  const outbox = store as Partial<{ purgeOutbox(options?: PurgeOptions): Promise<number> }>;
  if (typeof outbox.purgeOutbox === "function") {
    const purge = outbox.purgeOutbox.bind(store);
    duties.push({
      name: "payments.outbox.purge",
      intervalMs: 5 * MINUTE,
      batchSize: 1_000,
      run: async (limit) => full(await purge({ limit }), limit),
    });
  }
  return duties;
}
