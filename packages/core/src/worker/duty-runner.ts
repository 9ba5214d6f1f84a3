import type { Clock } from "../clock/clock.js";
import { PlatformError } from "../errors/platform-error.js";
import type { Logger } from "../observability/logger.js";
import { recordDutyLag } from "../observability/metrics.js";
import { withSpan } from "../observability/tracing.js";
import type { BackgroundDuty } from "./background-duty.js";

/** The settings a duty runs with (its defaults, overridden by the worker's `duties` option). */
export interface DutySettings {
  readonly intervalMs: number;
  readonly batchSize: number;
  readonly enabled: boolean;
}

/** Health of one duty, as `worker.health()` reports it. */
export interface DutyHealth {
  readonly name: string;
  readonly enabled: boolean;
  readonly intervalMs: number;
  readonly batchSize: number;
  /** A run is in progress. */
  readonly running: boolean;
  /** When the last run started (null before the first). */
  readonly lastRunAt: Date | null;
  /** When the last run ended without error (a run skipped because another process held the duty's lock counts: the duty is being done). */
  readonly lastSuccessAt: Date | null;
  /** How the last run ended. */
  readonly lastOutcome: "succeeded" | "failed" | "skipped" | null;
  /** Items the last successful run handled. */
  readonly lastProcessed: number;
  /** Failed runs since the last successful one. */
  readonly consecutiveFailures: number;
  /** The `code` of the last failure (a `PlatformError`'s, else `duty_failed`); null after a success. */
  readonly lastErrorCode: string | null;
  /** Ms since the last success (since the worker started when there was none yet): what an alert watches. */
  readonly lagMs: number;
}

function errorCode(error: unknown): string {
  return PlatformError.is(error) ? error.code : "duty_failed";
}

/** @internal Runs one duty on its timer: batches back to back while they come back full, runs never overlapping. */
export class DutyRunner {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private current: Promise<void> | undefined;
  private stopping = false;
  private readonly startedAt: Date;
  private lastRunAt: Date | null = null;
  private lastSuccessAt: Date | null = null;
  private lastOutcome: DutyHealth["lastOutcome"] = null;
  private lastProcessed = 0;
  private consecutiveFailures = 0;
  private lastErrorCode: string | null = null;

  constructor(
    readonly duty: BackgroundDuty,
    readonly settings: DutySettings,
    private readonly deps: {
      readonly clock: Clock;
      readonly logger: Logger;
      readonly maxBatchesPerRun: number;
      readonly signal: AbortSignal;
    },
  ) {
    this.startedAt = deps.clock.now();
  }

  /** Schedules the first run at once, then one `intervalMs` after each run ends. */
  start(): void {
    if (this.settings.enabled && !this.stopping && !this.timer && !this.current) this.schedule(0);
  }

  /** Runs one round now (or joins the round in progress). Never rejects: failures are recorded and logged. */
  runNow(): Promise<void> {
    this.current ??= this.round().finally(() => {
      this.current = undefined;
    });
    return this.current;
  }

  /** Stops scheduling and asks the round in progress to stop after its current batch; resolves when it has. */
  stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    return this.current ?? Promise.resolve();
  }

  get running(): boolean {
    return this.current !== undefined;
  }

  health(): DutyHealth {
    const now = this.deps.clock.now().getTime();
    return {
      name: this.duty.name,
      enabled: this.settings.enabled,
      intervalMs: this.settings.intervalMs,
      batchSize: this.settings.batchSize,
      running: this.running,
      lastRunAt: this.lastRunAt,
      lastSuccessAt: this.lastSuccessAt,
      lastOutcome: this.lastOutcome,
      lastProcessed: this.lastProcessed,
      consecutiveFailures: this.consecutiveFailures,
      lastErrorCode: this.lastErrorCode,
      lagMs: Math.max(0, now - (this.lastSuccessAt ?? this.startedAt).getTime()),
    };
  }

  private schedule(ms: number): void {
    // Timers run on real time whatever the injected clock says, so their lateness is measured on it too.
    const dueAt = Date.now() + ms;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      recordDutyLag(this.duty.name, Date.now() - dueAt);
      void this.runNow().then(() => {
        if (!this.stopping) this.schedule(this.settings.intervalMs);
      });
    }, ms);
  }

  private async round(): Promise<void> {
    const { duty } = this;
    this.lastRunAt = this.deps.clock.now();
    try {
      // One span per run (`worker.duty.run`): the service, store and gateway spans of its batches are its children.
      const outcome = await withSpan(
        "worker.duty.run",
        { "platform.duty": duty.name, "platform.batch.size": this.settings.batchSize },
        async (span) => {
          const result = duty.lock
            ? await duty.lock.runExclusive(`platform.worker:${duty.name}`, () => this.batches())
            : { acquired: true as const, value: await this.batches() };
          span.setAttributes(
            result.acquired ? { "platform.outcome": "succeeded", "platform.processed": result.value } : { "platform.outcome": "skipped" },
          );
          return result;
        },
      );
      if (!outcome.acquired) {
        this.succeeded("skipped", 0);
        this.deps.logger.debug({ duty: duty.name }, "duty skipped: another process holds it");
        return;
      }
      this.succeeded("succeeded", outcome.value);
      if (outcome.value > 0) this.deps.logger.debug({ duty: duty.name, processed: outcome.value }, "duty run");
    } catch (error) {
      this.consecutiveFailures++;
      this.lastOutcome = "failed";
      this.lastErrorCode = errorCode(error);
      // The code and the error's class only: messages of driver errors may quote connection details.
      this.deps.logger.error(
        {
          duty: duty.name,
          code: this.lastErrorCode,
          errorName: error instanceof Error ? error.name : typeof error,
          consecutiveFailures: this.consecutiveFailures,
        },
        "duty failed",
      );
    }
  }

  private succeeded(outcome: "succeeded" | "skipped", processed: number): void {
    this.lastSuccessAt = this.deps.clock.now();
    this.lastOutcome = outcome;
    this.lastProcessed = processed;
    this.consecutiveFailures = 0;
    this.lastErrorCode = null;
  }

  // A batch that comes back full means more is due now; the cap keeps one duty from holding the
  // worker (and its lock) for ever when work arrives faster than it drains.
  private async batches(): Promise<number> {
    let total = 0;
    for (let i = 0; i < this.deps.maxBatchesPerRun; i++) {
      const result = await this.duty.run(this.settings.batchSize, { signal: this.deps.signal });
      total += result.processed;
      if (!result.more || this.stopping || this.deps.signal.aborted) break;
    }
    return total;
  }
}
