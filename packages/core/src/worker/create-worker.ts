import { systemClock, type Clock } from "../clock/clock.js";
import { ConfigurationError, ValidationError } from "../errors/errors.js";
import { silentLogger, type Logger } from "../observability/logger.js";
import type { BackgroundDuty, DutySource } from "./background-duty.js";
import { DutyRunner, type DutyHealth, type DutySettings } from "./duty-runner.js";
import { coreCodes } from "../errors/core-error-codes.js";

/** Per-duty overrides of the worker's `duties` option. */
export interface DutyOptions {
  /** Ms between the end of one run and the start of the next (10 ms - 24 h). */
  intervalMs?: number;
  /** Items per batch (1 - the duty's maximum). */
  batchSize?: number;
  /** False: this process does not run the duty (default true). */
  enabled?: boolean;
}

/** Options of {@link createWorker}. */
export interface WorkerOptions {
  /** A commerce platform (`createECommercePlatform(...)`): its duties are run. */
  commerce?: DutySource;
  /** A social platform: its duties are run (it has none today: feeds are capped on write). */
  social?: DutySource;
  /** A payment system (`createPaymentSystem(...)`): its duties are run. */
  payments?: DutySource;
  /** The host's own duties, run the same way. */
  additionalDuties?: readonly BackgroundDuty[];
  /** Overrides by duty name, e.g. `{ "payments.webhooks.dispatch": { intervalMs: 500 } }`. */
  duties?: Readonly<Record<string, DutyOptions>>;
  /** Receives duty failures (error level, with the duty name and error code) and runs (debug). Default silent. */
  logger?: Logger;
  /** Time source of `health()` (default the system clock). */
  clock?: Clock;
  /** Closed (`end()`) by `stop()` once the duties have stopped: the pools the worker process owns. */
  closeOnStop?: readonly { end?: () => Promise<void> }[];
  /** Batches one run may chain while they come back full (default 50), so one flooded duty yields its lock. */
  maxBatchesPerRun?: number;
}

/** Options of {@link Worker.stop}. */
export interface WorkerStopOptions {
  /** How long the duties in flight may take to finish (default 30,000 ms; 0 - 1 h). */
  deadlineMs?: number;
  /**
   * The last part of the deadline, kept for handing claims back: `releaseMs` before the deadline the runs
   * still in flight are abandoned (their `signal` aborts), and they have until the deadline to hand back the
   * claims they hold before the pools close, so the whole stop still ends by the deadline (default a quarter
   * of the deadline, at most 2,000 ms; 0 - 60,000 and at most `deadlineMs`).
   */
  releaseMs?: number;
}

/** What {@link Worker.stop} observed. */
export interface WorkerStopReport {
  /** Every run in flight ended before the deadline. */
  readonly finished: boolean;
  /**
   * Duties still running `releaseMs` before the deadline: abandoned. Claims they handed back by the deadline
   * are free for another process at once; the rest lapse with their leases, their locks with the closed pools.
   */
  readonly unfinished: readonly string[];
  /** Abandoned duties whose runs had not ended by the deadline (their work may still be in flight). */
  readonly unreleased: readonly string[];
}

/** What {@link Worker.health} reports. */
export interface WorkerHealth {
  /** False when an enabled duty failed 3 times in a row or has not succeeded for 3 intervals plus a minute. */
  readonly ok: boolean;
  readonly stopping: boolean;
  readonly duties: readonly DutyHealth[];
}

/** One process's background duties: see {@link createWorker}. */
export interface Worker {
  /** The names of the duties this worker knows (enabled or not), in run order. */
  readonly duties: readonly string[];
  /** Starts every enabled duty's timer (each runs at once, then `intervalMs` after each run ends). Returns the worker. */
  start(): Worker;
  /**
   * Runs one round of every enabled duty now (or of `name` only) and resolves when done; failures
   * are recorded in `health()` and logged, never thrown. For tests and cron-style hosts.
   * @throws ConfigurationError `unknown_duty` for a name the worker does not know.
   */
  runOnce(name?: string): Promise<void>;
  /**
   * Stops claiming (no new run, no new batch), waits for the batches in flight until `releaseMs` before
   * the deadline, then abandons the runs still in flight (their `signal` aborts, so they stop and hand back
   * what they claimed), waits for them up to the deadline, and closes `closeOnStop`. Calling it again
   * returns the same stop.
   * @throws ValidationError `invalid_deadline` (`deadlineMs` or `releaseMs` out of range, or `releaseMs` past `deadlineMs`).
   */
  stop(options?: WorkerStopOptions): Promise<WorkerStopReport>;
  /** Each duty's last run, last success, lag and failures. */
  health(): WorkerHealth;
  /**
   * Opt-in: on one of `signals` (default SIGTERM and SIGINT), `stop({ deadlineMs })`, then
   * `process.exit` (0 when everything finished in time, 1 otherwise) unless `exit` is false.
   * Returns a function that removes the handlers.
   */
  stopOnSignals(options?: { signals?: readonly NodeJS.Signals[]; deadlineMs?: number; exit?: boolean }): () => void;
}

const MAX_INTERVAL_MS = 86_400_000;

/** Resolves when `work` settles or `ms` pass, whichever comes first (the timer never outlives it). */
async function raceTimeout(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  await Promise.race([work, timeout]);
  clearTimeout(timer);
}

function settingsFor(duty: BackgroundDuty, given: DutyOptions | undefined): DutySettings {
  const max = duty.maxBatchSize ?? 10_000;
  const s = {
    intervalMs: given?.intervalMs ?? duty.intervalMs,
    batchSize: given?.batchSize ?? duty.batchSize,
    enabled: given?.enabled ?? true,
  };
  const okInterval = Number.isInteger(s.intervalMs) && s.intervalMs >= 10 && s.intervalMs <= MAX_INTERVAL_MS;
  const okBatch = Number.isInteger(s.batchSize) && s.batchSize >= 1 && s.batchSize <= max;
  if (!okInterval || !okBatch || typeof s.enabled !== "boolean") {
    throw new ConfigurationError(
      coreCodes.invalid_duty_options,
      `invalid options for duty ${duty.name}: intervalMs 10-${MAX_INTERVAL_MS}, batchSize 1-${max}`,
      {
        details: { duty: duty.name },
      },
    );
  }
  return s;
}

/**
 * Builds the worker of a process: every background duty of the packages it is given (webhook
 * dispatch, reconciliations, reservation expiry, the payment sweeper, notifications, retention
 * purges), each on its own timer with its interval and batch size. Any number of processes may
 * run workers on one database: each duty's work is claimed row by row (leases, `SKIP LOCKED`) or,
 * where it is not, the duty runs under a per-duty advisory lock. On the memory stores it runs
 * in-process on the same timers.
 * @throws ConfigurationError `duplicate_duty` (two duties with one name), `unknown_duty` (an
 * override naming no duty), `invalid_duty_options` (interval or batch size out of range).
 * @example
 * ```ts
 * const worker = createWorker({ commerce: platform, payments: system, logger: pino(), closeOnStop: [pool] }).start();
 * worker.stopOnSignals({ deadlineMs: 25_000 });
 * ```
 */
export function createWorker(options: WorkerOptions = {}): Worker {
  const all = [
    ...(options.payments?.backgroundDuties ?? []),
    ...(options.commerce?.backgroundDuties ?? []),
    ...(options.social?.backgroundDuties ?? []),
    ...(options.additionalDuties ?? []),
  ];
  const names = new Set<string>();
  for (const d of all) {
    if (names.has(d.name))
      throw new ConfigurationError(coreCodes.duplicate_duty, `two duties are named ${d.name}`, { details: { duty: d.name } });
    names.add(d.name);
  }
  for (const name of Object.keys(options.duties ?? {})) {
    if (!names.has(name)) throw new ConfigurationError(coreCodes.unknown_duty, `no duty is named ${name}`, { details: { duty: name } });
  }
  const maxBatchesPerRun = options.maxBatchesPerRun ?? 50;
  if (!Number.isInteger(maxBatchesPerRun) || maxBatchesPerRun < 1 || maxBatchesPerRun > 10_000) {
    throw new ConfigurationError(coreCodes.invalid_duty_options, "maxBatchesPerRun must be an integer 1-10000");
  }
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  // Aborted once the stop deadline passes: the runs still in flight are abandoned and hand back their claims.
  const abandon = new AbortController();
  const runners = all.map(
    (d) => new DutyRunner(d, settingsFor(d, options.duties?.[d.name]), { clock, logger, maxBatchesPerRun, signal: abandon.signal }),
  );
  let stopped: Promise<WorkerStopReport> | undefined;

  const worker: Worker = {
    duties: runners.map((r) => r.duty.name),
    start() {
      if (!stopped) {
        for (const r of runners) r.start();
        logger.info({ duties: runners.filter((r) => r.settings.enabled).map((r) => r.duty.name) }, "worker started");
      }
      return worker;
    },
    async runOnce(name) {
      if (name !== undefined && !names.has(name))
        throw new ConfigurationError(coreCodes.unknown_duty, `no duty is named ${name}`, { details: { duty: name } });
      const chosen = runners.filter((r) => r.settings.enabled && (name === undefined || r.duty.name === name));
      await Promise.all(chosen.map((r) => r.runNow()));
    },
    stop(stopOptions = {}) {
      const deadlineMs = stopOptions.deadlineMs ?? 30_000;
      const releaseMs = stopOptions.releaseMs ?? Math.min(2_000, Math.floor(deadlineMs / 4));
      for (const [field, value, max] of [
        ["deadlineMs", deadlineMs, 3_600_000],
        ["releaseMs", releaseMs, Math.min(60_000, Number.isInteger(deadlineMs) ? deadlineMs : 0)],
      ] as const) {
        if (!Number.isInteger(value) || value < 0 || value > max) {
          return Promise.reject(
            new ValidationError(coreCodes.invalid_deadline, `${field} must be an integer 0-${max}`, {
              issues: [{ path: [field], message: "out of range", code: "invalid_deadline" }],
            }),
          );
        }
      }
      stopped ??= (async () => {
        logger.info({ deadlineMs }, "worker stopping");
        const allStopped = Promise.all(runners.map((r) => r.stop()));
        await raceTimeout(allStopped, deadlineMs - releaseMs);
        const unfinished = runners.filter((r) => r.running).map((r) => r.duty.name);
        let unreleased: string[] = [];
        if (unfinished.length > 0) {
          logger.warn({ unfinished }, "worker stop deadline near with duties running: abandoning them");
          abandon.abort(new Error("worker stop: run abandoned near its deadline"));
          await raceTimeout(allStopped, releaseMs);
          unreleased = runners.filter((r) => r.running).map((r) => r.duty.name);
          if (unreleased.length > 0) logger.warn({ unreleased }, "abandoned duties still running: their claims lapse with their leases");
        }
        for (const resource of options.closeOnStop ?? []) {
          await Promise.resolve(resource.end?.()).catch((error: unknown) =>
            logger.warn({ errorName: error instanceof Error ? error.name : typeof error }, "closing a pool failed"),
          );
        }
        logger.info({ finished: unfinished.length === 0 }, "worker stopped");
        return { finished: unfinished.length === 0, unfinished, unreleased };
      })();
      return stopped;
    },
    health() {
      const duties = runners.map((r) => r.health());
      const ok = duties.every((d) => !d.enabled || (d.consecutiveFailures < 3 && d.lagMs <= 3 * d.intervalMs + 60_000));
      return { ok, stopping: stopped !== undefined, duties };
    },
    stopOnSignals(signalOptions = {}) {
      const signals = signalOptions.signals ?? ["SIGTERM", "SIGINT"];
      const onSignal = (signal: NodeJS.Signals): void => {
        logger.info({ signal }, "worker received a stop signal");
        void worker.stop({ deadlineMs: signalOptions.deadlineMs ?? 30_000 }).then((report) => {
          if (signalOptions.exit !== false) process.exit(report.finished ? 0 : 1);
        });
      };
      for (const s of signals) process.on(s, onSignal);
      return () => {
        for (const s of signals) process.off(s, onSignal);
      };
    },
  };
  return worker;
}
