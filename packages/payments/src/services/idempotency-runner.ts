import { GatewayError, IdempotencyError, type Clock } from "@platform/core";
import { fingerprintOf, IDEMPOTENCY_TTL_MS, type IdempotencyRecord, type IdempotencyResponse } from "../domain/idempotency.js";
import type { PaymentStore, PaymentTx } from "../ports/payment-store.js";

/** One idempotent operation: `begin` runs in the claiming transaction, `finish` after it (gateway calls). */
export interface IdempotentOperation<R> {
  scope: string;
  key: string | undefined;
  params: unknown;
  /** Validates and records the intent; returns the resource id. Runs inside the claim transaction. */
  begin(tx: PaymentTx): Promise<string>;
  /** Talks to the gateway and records the outcome (own transactions). May throw a GatewayError to report. */
  finish(resourceId: string): Promise<void>;
  /** Loads the result to return. */
  load(resourceId: string): Promise<R>;
}

/** How long a waiter polls for another caller's in-flight operation before giving up. */
const WAIT_LIMIT_MS = 30_000;

/**
 * After this long (by the clock) an unfinished key is presumed abandoned by a crashed caller and the
 * next caller finishes the operation itself. Safe because `finish` is idempotent: gateways get the
 * same provider idempotency key, and outcomes only apply to a resource still in flight.
 */
export const IDEMPOTENCY_TAKEOVER_MS = 60_000;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Runs operations at most once per (scope, key): the first call claims the key and records its
 * resource in one transaction, calls the gateway outside any transaction, then stores the outcome.
 * Concurrent callers with the same key wait for that outcome; later callers get it from the store.
 * A different parameter set is `idempotency_conflict`. Keys expire after 24 h by the clock.
 */
export class IdempotencyRunner {
  // Callers in this process wait on the promise; callers in other processes poll the store.
  private readonly inflight = new Map<string, Promise<unknown>>();

  // Identical concurrent requests in this process share one execution (and its pre-work).
  private readonly flights = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: PaymentStore,
    private readonly clock: Clock,
  ) {}

  /**
   * Runs `work` once for concurrent callers with the same scope, key and parameters in this process;
   * without a key it always runs. Different parameters never share: they reach the store and conflict.
   */
  shared<R>(scope: string, key: string | undefined, params: unknown, work: () => Promise<R>): Promise<R> {
    if (key === undefined) return work();
    const slot = `${scope}\u0000${key}\u0000${fingerprintOf(params)}`;
    const running = this.flights.get(slot);
    if (running) return running as Promise<R>;
    const p = work().finally(() => this.flights.delete(slot));
    this.flights.set(slot, p);
    return p;
  }

  async run<R>(op: IdempotentOperation<R>): Promise<R> {
    if (op.key === undefined) {
      const id = await this.store.transaction((tx) => op.begin(tx));
      await op.finish(id);
      return op.load(id);
    }
    const key = op.key;
    const fingerprint = fingerprintOf(op.params);
    const now = this.clock.now();
    const record: IdempotencyRecord = { scope: op.scope, key, fingerprint, status: "in_progress", createdAt: now, expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS) };
    const slot = `${op.scope}\u0000${key}`;

    const claim = await this.store.transaction(async (tx) => {
      const c = await tx.idempotency.claim(record, now);
      if (!c.claimed) return c.existing;
      const id = await op.begin(tx);
      await tx.idempotency.attach(op.scope, key, id);
      return id;
    });

    if (typeof claim !== "string") return this.replay(op, claim, fingerprint, slot);
    return this.complete(op, key, claim, slot);
  }

  /** Runs `finish`, stores the outcome on the key and returns the result (or re-throws the gateway error). */
  private async complete<R>(op: IdempotentOperation<R>, key: string, resourceId: string, slot: string): Promise<R> {
    let release!: () => void;
    this.inflight.set(slot, new Promise<void>((r) => (release = r)));
    try {
      let error: IdempotencyResponse["error"];
      try {
        await op.finish(resourceId);
      } catch (e) {
        if (!(e instanceof GatewayError)) {
          // The resource exists and holds whatever state was recorded: later replays return it.
          await this.store.transaction((tx) => tx.idempotency.complete(op.scope, key, { resourceId }));
          throw e;
        }
        error = { code: e.code, message: e.message, provider: e.provider, retryable: e.retryable, declineCode: e.declineCode };
      }
      await this.store.transaction((tx) => tx.idempotency.complete(op.scope, key, { resourceId, error }));
      if (error) throw toError(error);
      return op.load(resourceId);
    } finally {
      this.inflight.delete(slot);
      release();
    }
  }

  private async replay<R>(op: IdempotentOperation<R>, existing: IdempotencyRecord, fingerprint: string, slot: string): Promise<R> {
    let current = existing;
    let waited = 0;
    for (;;) {
      if (current.fingerprint !== fingerprint) {
        throw new IdempotencyError(`idempotency key ${JSON.stringify(current.key)} was used with other parameters`, "idempotency_conflict", {
          details: { scope: op.scope, key: current.key },
        });
      }
      if (current.status === "completed" && current.response) {
        if (current.response.error) throw toError(current.response.error);
        return op.load(current.response.resourceId);
      }
      if (current.resourceId !== undefined && !this.inflight.has(slot) && this.clock.now().getTime() - current.createdAt.getTime() >= IDEMPOTENCY_TAKEOVER_MS) {
        return this.complete(op, current.key, current.resourceId, slot);
      }
      if (waited >= WAIT_LIMIT_MS) {
        throw new IdempotencyError(`idempotency key ${JSON.stringify(current.key)} is still in use`, "idempotency_key_in_use", { details: { scope: op.scope, key: current.key } });
      }
      const pending = this.inflight.get(slot);
      if (pending) await pending.catch(() => undefined);
      else {
        const pause = Math.min(200, 5 + waited / 10);
        await sleep(pause);
        waited += pause;
      }
      const again = await this.store.transaction((tx) => tx.idempotency.get(op.scope, current.key));
      if (!again) {
        // The first call was rejected before it changed anything and released the key: run afresh.
        return this.run(op);
      }
      current = again;
    }
  }
}

function toError(e: NonNullable<IdempotencyResponse["error"]>): GatewayError {
  return new GatewayError(e.code, e.message, { provider: e.provider, retryable: e.retryable, declineCode: e.declineCode });
}
