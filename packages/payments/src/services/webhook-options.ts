import type { UrlPolicy } from "../domain/webhook-endpoint.js";
import type { WebhookTransport } from "../ports/webhook-transport.js";

/** Options of the webhook service. */
export interface WebhookOptions extends UrlPolicy {
  /**
   * HTTP transport (default: `createWebhookTransport({ allowPrivateNetworks })`: resolves and checks
   * every address, connects to exactly the checked ones, reads at most 64 KiB of each answer).
   */
  transport?: WebhookTransport;
  /** Per-request timeout (default 15 s). */
  timeoutMs?: number;
  /** Delay before each attempt; the first is the first attempt (default: 0, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h). */
  retrySchedule?: readonly number[];
  /** Dispatch right after each commit that queued deliveries (default true). Retries need `dispatchDue()` or `startWorker()`. */
  autoDispatch?: boolean;
  /** How long a claimed delivery stays reserved for one dispatcher (default 60 s). */
  leaseMs?: number;
  /**
   * Requests in flight to one endpoint from this process at most (default 10); the rest of a batch
   * waits. A delivery that waited until its lease has less than `min(timeoutMs, leaseMs / 2)` left
   * goes back to the queue, due now, without an attempt, rather than be sent after its lease lapses.
   */
  maxConcurrentPerEndpoint?: number;
}
