/** What one batch of a {@link BackgroundDuty} did. */
export interface DutyBatchResult {
  /** Items handled (sent, released, purged ...), for health and logs. */
  readonly processed: number;
  /** True when the batch came back full: more may be due now, so the worker runs another batch at once. */
  readonly more: boolean;
}

/** What the worker hands each {@link BackgroundDuty.run}. */
export interface DutyRunContext {
  /** Aborted when the worker's stop abandons the run in flight (`releaseMs` before its deadline). */
  readonly signal: AbortSignal;
}

/**
 * Mutual exclusion across processes for duties whose work is not claimed row by row. The
 * PostgreSQL stores implement it with a session advisory lock, which the server drops when the
 * holder's connection ends (a killed process never keeps it).
 */
export interface DutyLock {
  /**
   * Runs `work` while holding the lock named `name`, or does nothing when another holder has it.
   * @throws StorageError `storage_unavailable` when the lock cannot be asked for.
   */
  runExclusive<T>(name: string, work: () => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }>;
}

/** True when `value` offers {@link DutyLock.runExclusive}. */
export function isDutyLock(value: unknown): value is DutyLock {
  return typeof (value as { runExclusive?: unknown } | null)?.runExclusive === "function";
}

/**
 * One background chore of a package (dispatch due webhooks, release expired reservations, purge
 * old rows ...), as the worker runs it: one batch per call. The packages declare their own duties
 * (`backgroundDuties` on each platform object); hosts can add theirs.
 */
export interface BackgroundDuty {
  /** Stable name, `<package>.<what>.<verb>`, e.g. `payments.webhooks.dispatch`: the key of its options and health. */
  readonly name: string;
  /** Default interval between runs, in ms. */
  readonly intervalMs: number;
  /** Default batch size (the `limit` handed to `run`). */
  readonly batchSize: number;
  /** The largest batch `run` accepts (default 10,000). */
  readonly maxBatchSize?: number;
  /**
   * Runs one batch of at most `batchSize` items. `context.signal` aborts when the worker abandons the run
   * (`releaseMs` before its stop deadline): a duty holding claims (leases) should then stop claiming, stop the
   * work in flight where it can, and hand back each claim it still owns (conditional on its lease token)
   * once that claim's work has ended, so another process takes it over at once.
   */
  run(batchSize: number, context?: DutyRunContext): Promise<DutyBatchResult>;
  /**
   * Set when several processes must not run this duty at once (its work is not claimed row by
   * row): each run then holds this lock, and a process that does not get it skips the run.
   */
  readonly lock?: DutyLock;
}

/** Something that brings background duties: the platform objects of the domain packages. */
export interface DutySource {
  readonly backgroundDuties: readonly BackgroundDuty[];
}
