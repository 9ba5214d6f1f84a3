import { randomUUID } from "node:crypto";
import { GatewayError, IdempotencyError, silentLogger, writeLog, type Clock, type Logger } from "@platform/core";
import {
  DEFAULT_IDEMPOTENCY_LEASE_MS,
  fingerprintOf,
  IDEMPOTENCY_TTL_MS,
  leaseEndOf,
  type IdempotencyRecord,
  type IdempotencyResponse,
} from "../domain/idempotency.js";
import type { PaymentStore, PaymentTx } from "../ports/payment-store.js";
import { paymentsCodes } from "../domain/error-codes.js";

/** What `begin` recorded: the resource id and, to spare `finish` a re-read, the resource as written. */
interface BegunResource<B> {
  id: string;
  resource: B;
}

/**
 * Stores the outcome of a keyed operation on its key inside `tx`, the transaction that records the
 * outcome: the key completes with the change, in its round trips. `error` is the gateway's answer
 * when `finish` is about to throw it. Without a key it does nothing.
 */
type CompleteKey = (tx: PaymentTx, error?: GatewayError) => Promise<void>;

/** One idempotent operation: `begin` runs in the claiming transaction, `finish` after it (gateway calls). */
export interface IdempotentOperation<R, B = never> {
  scope: string;
  key: string | undefined;
  params: unknown;
  /** Validates and records the intent; returns the resource id (and the resource). Runs inside the claim transaction. */
  begin(tx: PaymentTx): Promise<string | BegunResource<B>>;
  /**
   * Talks to the gateway and records the outcome (own transactions). May throw a GatewayError to report.
   * Gets the resource `begin` wrote when this caller began it, undefined on a takeover (it re-reads).
   * Returns the settled result, or undefined to have it loaded. May call `completeKey` in the
   * transaction recording its last outcome, after which the runner stores nothing more on the key.
   */
  finish(resourceId: string, begun: B | undefined, completeKey: CompleteKey): Promise<R | undefined | void>;
  /** Loads the result to return. */
  load(resourceId: string): Promise<R>;
}

/** How long a waiter polls for a live owner's in-flight operation before answering `idempotency_key_in_use`. */
const WAIT_LIMIT_MS = 30_000;

/** Options of the {@link IdempotencyRunner}. */
export interface IdempotencyRunnerOptions {
  /**
   * Lease of an in-progress key, by the clock (default 5 s). The owner renews it every third of the
   * lease while its gateway call runs; a key whose lease lapsed is taken over by the next caller.
   */
  leaseMs?: number;
  /** Where failed lease renewals are logged (default: silent). */
  logger?: Logger;
}

/** The answer while another live caller runs the operation: retryable, never a failed payment. */
function keyInUse(scope: string, key: string): IdempotencyError {
  return new IdempotencyError(
    paymentsCodes.idempotency_key_in_use,
    `idempotency key ${JSON.stringify(key)} is still in use; retry with the same key`,
    {
      details: { scope, key, retryable: true },
    },
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Runs operations at most once per (scope, key): the first call claims the key and records its
 * resource in one transaction, calls the gateway outside any transaction, then stores the outcome.
 * Concurrent callers with the same key wait for that outcome; later callers get it from the store.
 * The owner holds a short lease on the key, renewed while it works; a caller finding the lease lapsed
 * (owner crashed) takes the operation over and resumes it. That is safe because `finish` is
 * idempotent: gateways get the same provider idempotency key, and outcomes only apply to a resource
 * still in flight. A different parameter set is `idempotency_conflict`. Keys expire after 24 h by the clock.
 */
export class IdempotencyRunner {
  // Callers in this process wait on the promise; callers in other processes poll the store.
  private readonly inflight = new Map<string, Promise<unknown>>();

  // Identical concurrent requests in this process share one execution (and its pre-work).
  private readonly flights = new Map<string, Promise<unknown>>();

  private readonly leaseMs: number;
  private readonly logger: Logger;

  constructor(
    private readonly store: PaymentStore,
    private readonly clock: Clock,
    options: IdempotencyRunnerOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? DEFAULT_IDEMPOTENCY_LEASE_MS;
    this.logger = options.logger ?? silentLogger;
  }

  private leaseFrom(now: Date): Date {
    return new Date(now.getTime() + this.leaseMs);
  }

  /**
   * Renews the lease of a key this caller owns every third of the lease until stopped, so a slow but
   * live owner is never taken over. A renewal that fails (storage down) is skipped: if the lease
   * lapses meanwhile a retry takes over, which is safe (same provider key; outcomes apply once).
   */
  private heartbeat(scope: string, key: string, token: string): () => void {
    let busy = false;
    const timer = setInterval(
      () => {
        if (busy) return;
        busy = true;
        this.store
          .transaction((tx) => tx.idempotency.renewLease(scope, key, token, this.leaseFrom(this.clock.now())))
          .catch((error: unknown) =>
            writeLog(this.logger, "warn", "idempotency lease renewal failed", { scope, idempotencyKey: key }, error),
          )
          .finally(() => (busy = false));
      },
      Math.max(10, Math.floor(this.leaseMs / 3)),
    );
    timer.unref?.();
    return () => clearInterval(timer);
  }

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

  async run<R, B = never>(op: IdempotentOperation<R, B>): Promise<R> {
    if (op.key === undefined) {
      const begun = toBegun(await this.store.transaction((tx) => op.begin(tx)));
      return (await op.finish(begun.id, begun.resource, async () => undefined)) ?? op.load(begun.id);
    }
    const key = op.key;
    const fingerprint = fingerprintOf(op.params);
    const now = this.clock.now();
    const token = randomUUID();
    const record: IdempotencyRecord = {
      scope: op.scope,
      key,
      fingerprint,
      status: "in_progress",
      createdAt: now,
      expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
      leaseToken: token,
      leaseExpiresAt: this.leaseFrom(now),
    };
    const slot = `${op.scope}\u0000${key}`;

    const claim = await this.store.transaction(async (tx): Promise<Claim<B>> => {
      const c = await tx.idempotency.claim(record, now);
      if (!c.claimed) return { existing: c.existing };
      const begun = toBegun(await op.begin(tx));
      await tx.idempotency.attach(op.scope, key, begun.id);
      return { begun };
    });

    if ("existing" in claim) return this.replay(op, claim.existing, fingerprint, slot);
    return this.complete(op, key, claim.begun.id, slot, token, claim.begun.resource);
  }

  /**
   * Runs `finish` under the key's lease (renewed meanwhile), stores the outcome on the key and returns
   * the result (or re-throws the gateway error).
   */
  private async complete<R, B>(
    op: IdempotentOperation<R, B>,
    key: string,
    resourceId: string,
    slot: string,
    token: string,
    begun?: B,
  ): Promise<R> {
    let release!: () => void;
    this.inflight.set(slot, new Promise<void>((r) => (release = r)));
    const stop = this.heartbeat(op.scope, key, token);
    try {
      let error: IdempotencyResponse["error"];
      let result: R | undefined | void;
      // The response `finish` stored with its outcome (in that transaction), if it did.
      let stored: IdempotencyResponse | undefined;
      const completeKey: CompleteKey = async (tx, gatewayError) => {
        const response = { resourceId, error: gatewayError && responseError(gatewayError) };
        await tx.idempotency.complete(op.scope, key, response);
        stored = response;
      };
      try {
        result = await op.finish(resourceId, begun, completeKey);
      } catch (e) {
        if (!(e instanceof GatewayError)) {
          // Not an answer of the gateway (storage lost mid-way, a bug): the outcome is unknown, so the
          // key stays in progress with its lease ended now, and the caller's retry takes the operation
          // over at once and resumes it (re-sent with the same provider key, or found settled).
          stop();
          // If this write fails too, the lease simply runs out and a retry takes over a little later.
          await this.store
            .transaction((tx) => tx.idempotency.renewLease(op.scope, key, token, this.clock.now()))
            .catch((error: unknown) =>
              writeLog(
                this.logger,
                "warn",
                "idempotency lease release failed",
                { scope: op.scope, idempotencyKey: key, resourceId },
                error,
              ),
            );
          throw e;
        }
        error = responseError(e);
      }
      stop();
      // Already stored with the outcome, unless `finish` ended otherwise than it told (then store what it did).
      if (!stored || stored.error?.code !== error?.code)
        await this.store.transaction((tx) => tx.idempotency.complete(op.scope, key, { resourceId, error }));
      if (error) throw toError(error);
      return result ?? op.load(resourceId);
    } finally {
      stop();
      this.inflight.delete(slot);
      release();
    }
  }

  /** Takes over a key whose owner's lease lapsed; undefined when another caller was first or it completed. */
  private async takeOver(scope: string, key: string): Promise<{ resourceId: string; token: string } | undefined> {
    const token = randomUUID();
    const now = this.clock.now();
    const taken = await this.store.transaction((tx) => tx.idempotency.takeOver(scope, key, now, token, this.leaseFrom(now)));
    return taken?.resourceId === undefined ? undefined : { resourceId: taken.resourceId, token };
  }

  private async replay<R, B>(op: IdempotentOperation<R, B>, existing: IdempotencyRecord, fingerprint: string, slot: string): Promise<R> {
    let current = existing;
    let waited = 0;
    for (;;) {
      if (current.fingerprint !== fingerprint) {
        throw new IdempotencyError(
          paymentsCodes.idempotency_conflict,
          `idempotency key ${JSON.stringify(current.key)} was used with other parameters`,
          {
            details: { scope: op.scope, key: current.key },
          },
        );
      }
      if (current.status === "completed" && current.response) {
        if (current.response.error) throw toError(current.response.error);
        return op.load(current.response.resourceId);
      }
      // The owner stopped renewing its lease (it died, or lost its storage): resume its operation.
      if (current.resourceId !== undefined && !this.inflight.has(slot) && this.clock.now().getTime() >= leaseEndOf(current).getTime()) {
        const taken = await this.takeOver(op.scope, current.key);
        if (taken) return this.complete(op, current.key, taken.resourceId, slot, taken.token);
      }
      if (waited >= WAIT_LIMIT_MS) throw keyInUse(op.scope, current.key);
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

/** The claim transaction's answer: this caller began the operation, or the key's existing record. */
type Claim<B> = { begun: { id: string; resource: B | undefined } } | { existing: IdempotencyRecord };

function toBegun<B>(begun: string | BegunResource<B>): { id: string; resource: B | undefined } {
  return typeof begun === "string" ? { id: begun, resource: undefined } : begun;
}

function responseError(e: GatewayError): NonNullable<IdempotencyResponse["error"]> {
  return { code: e.code, message: e.message, provider: e.provider, retryable: e.retryable, declineCode: e.declineCode };
}

function toError(e: NonNullable<IdempotencyResponse["error"]>): GatewayError {
  return new GatewayError(e.code, e.message, { provider: e.provider, retryable: e.retryable, declineCode: e.declineCode });
}
