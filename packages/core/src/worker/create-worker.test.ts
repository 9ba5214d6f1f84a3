import { describe, expect, it } from "vitest";
import { ManualClock } from "../clock/clock.js";
import { StorageError } from "../errors/errors.js";
import { PlatformError } from "../errors/platform-error.js";
import type { Logger } from "../observability/logger.js";
import { waitUntil } from "../testing/wait-until.js";
import type { BackgroundDuty, DutyLock } from "./background-duty.js";
import { createWorker } from "./create-worker.js";

/** A duty over a queue of `items`: each run takes up to `limit`. */
function queueDuty(name: string, items: number, extra: Partial<BackgroundDuty> = {}) {
  const taken: number[][] = [];
  let left = items;
  const duty: BackgroundDuty = {
    name,
    intervalMs: 60_000,
    batchSize: 10,
    run: async (limit) => {
      const n = Math.min(limit, left);
      left -= n;
      taken.push([n]);
      return { processed: n, more: n >= limit };
    },
    ...extra,
  };
  return { duty, taken, left: () => left, add: (n: number) => (left += n) };
}

function capturingLogger() {
  const lines: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
  const at = (level: string) => (obj: Record<string, unknown>, msg: string) => void lines.push({ level, obj, msg });
  const logger: Logger = { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
  return { logger, lines };
}

const until = (check: () => boolean) => waitUntil(check, "the worker's state", { timeoutMs: 5_000, intervalMs: 5 });

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return PlatformError.is(e) ? e.code : "not_a_platform_error";
  }
  return undefined;
};

describe("createWorker", () => {
  it("chains batches while they come back full, then waits for the interval", async () => {
    const q = queueDuty("test.queue.drain", 25);
    const worker = createWorker({ additionalDuties: [q.duty] });
    await worker.runOnce();
    expect(q.left()).toBe(0);
    expect(q.taken).toEqual([[10], [10], [5]]);
    expect(worker.health().duties[0]).toMatchObject({
      name: "test.queue.drain",
      lastOutcome: "succeeded",
      lastProcessed: 25,
      consecutiveFailures: 0,
    });
  });

  it("stops chaining at maxBatchesPerRun so a flooded duty yields", async () => {
    const q = queueDuty("test.queue.flooded", 1_000);
    await createWorker({ additionalDuties: [q.duty], maxBatchesPerRun: 3 }).runOnce();
    expect(q.taken.length).toBe(3);
    expect(q.left()).toBe(970);
  });

  it("runs each duty on its own timer with its own batch size", async () => {
    const q = queueDuty("test.queue.timed", 0);
    const worker = createWorker({ additionalDuties: [q.duty], duties: { "test.queue.timed": { intervalMs: 10, batchSize: 4 } } }).start();
    try {
      await until(() => q.taken.length >= 1);
      q.add(9);
      await until(() => q.left() === 0);
      expect(q.taken.filter(([n]) => n! > 0)).toEqual([[4], [4], [1]]);
    } finally {
      await worker.stop({ deadlineMs: 1_000 });
    }
  });

  it("records and logs a failing duty with its code, resets on success and reports not ok after 3 in a row", async () => {
    let fail = true;
    const duty: BackgroundDuty = {
      name: "test.flaky.run",
      intervalMs: 60_000,
      batchSize: 1,
      run: async () => {
        if (fail) throw new StorageError("storage_unavailable", "storage is unavailable; try again later");
        return { processed: 1, more: false };
      },
    };
    const { logger, lines } = capturingLogger();
    const worker = createWorker({ additionalDuties: [duty], logger });
    await worker.runOnce();
    await worker.runOnce();
    expect(worker.health().ok).toBe(true);
    await worker.runOnce();
    expect(worker.health()).toMatchObject({
      ok: false,
      duties: [{ consecutiveFailures: 3, lastOutcome: "failed", lastErrorCode: "storage_unavailable", lastSuccessAt: null }],
    });
    const errors = lines.filter((l) => l.level === "error");
    expect(errors).toHaveLength(3);
    expect(errors[0]!.obj).toMatchObject({ duty: "test.flaky.run", code: "storage_unavailable", errorName: "StorageError" });
    fail = false;
    await worker.runOnce();
    expect(worker.health()).toMatchObject({
      ok: true,
      duties: [{ consecutiveFailures: 0, lastOutcome: "succeeded", lastErrorCode: null }],
    });
    expect(worker.health().duties[0]!.lastSuccessAt).toBeInstanceOf(Date);
  });

  it("logs a thrown non-platform error as duty_failed without its message", async () => {
    const { logger, lines } = capturingLogger();
    const duty: BackgroundDuty = {
      name: "test.broken.run",
      intervalMs: 1_000,
      batchSize: 1,
      run: async () => Promise.reject(new Error("password=hunter2")),
    };
    await createWorker({ additionalDuties: [duty], logger }).runOnce();
    expect(lines.filter((l) => l.level === "error").map((l) => l.obj.code)).toEqual(["duty_failed"]);
    expect(JSON.stringify(lines)).not.toContain("hunter2");
  });

  it("reports lag from the clock: since the last success, or since the start", async () => {
    const clock = new ManualClock(new Date("2026-01-01T00:00:00Z"));
    const q = queueDuty("test.queue.lag", 0);
    const worker = createWorker({ additionalDuties: [q.duty], clock });
    clock.advance(5_000);
    expect(worker.health().duties[0]!.lagMs).toBe(5_000);
    await worker.runOnce();
    clock.advance(2_000);
    expect(worker.health().duties[0]!.lagMs).toBe(2_000);
    clock.advance(400_000);
    expect(worker.health().ok).toBe(false);
  });

  it("skips a run whose lock another process holds, without calling it or counting a failure", async () => {
    const q = queueDuty("test.queue.locked", 5);
    const busy: DutyLock = { runExclusive: async () => ({ acquired: false }) };
    const worker = createWorker({ additionalDuties: [{ ...q.duty, lock: busy }] });
    await worker.runOnce();
    expect(q.taken).toEqual([]);
    expect(worker.health().duties[0]).toMatchObject({ lastOutcome: "skipped", consecutiveFailures: 0 });
    const free: DutyLock = { runExclusive: async (_name, work) => ({ acquired: true, value: await work() }) };
    await createWorker({ additionalDuties: [{ ...q.duty, lock: free }] }).runOnce();
    expect(q.left()).toBe(0);
  });

  it("on stop, finishes the batch in flight, claims no further batch and closes what it owns", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let runs = 0;
    const duty: BackgroundDuty = {
      name: "test.slow.batch",
      intervalMs: 10,
      batchSize: 1,
      run: async () => {
        runs++;
        await gate;
        return { processed: 1, more: true };
      },
    };
    let ended = 0;
    const worker = createWorker({ additionalDuties: [duty], closeOnStop: [{ end: async () => void ended++ }] }).start();
    await until(() => runs === 1);
    const stopping = worker.stop({ deadlineMs: 10_000 });
    expect(worker.health().stopping).toBe(true);
    release();
    expect(await stopping).toEqual({ finished: true, unfinished: [], unreleased: [] });
    expect(runs).toBe(1);
    expect(ended).toBe(1);
    expect(await worker.stop()).toEqual({ finished: true, unfinished: [], unreleased: [] });
  });

  it("returns at the deadline when a run does not finish, naming it (still running after releaseMs: unreleased)", async () => {
    const duty: BackgroundDuty = { name: "test.stuck.batch", intervalMs: 10, batchSize: 1, run: () => new Promise(() => undefined) };
    let ended = 0;
    const worker = createWorker({ additionalDuties: [duty], closeOnStop: [{ end: async () => void ended++ }] }).start();
    await until(() => worker.health().duties[0]!.running);
    expect(await worker.stop({ deadlineMs: 20, releaseMs: 20 })).toEqual({
      finished: false,
      unfinished: ["test.stuck.batch"],
      unreleased: ["test.stuck.batch"],
    });
    expect(ended).toBe(1);
  });

  it("releaseMs before the deadline, aborts the runs in flight and waits for them to hand back their claims before closing the pools", async () => {
    const events: string[] = [];
    let seen: AbortSignal | undefined;
    const duty: BackgroundDuty = {
      name: "test.claiming.batch",
      intervalMs: 10,
      batchSize: 1,
      run: (_n, context) => {
        seen = context?.signal;
        return new Promise((resolve) => {
          // The claim is handed back only once the work has stopped, then the run ends.
          context?.signal.addEventListener("abort", () => {
            events.push("released");
            resolve({ processed: 0, more: false });
          });
        });
      },
    };
    const worker = createWorker({ additionalDuties: [duty], closeOnStop: [{ end: async () => void events.push("closed") }] }).start();
    await until(() => worker.health().duties[0]!.running);
    expect(seen?.aborted).toBe(false);
    expect(await worker.stop({ deadlineMs: 10_000, releaseMs: 10_000 })).toEqual({
      finished: false,
      unfinished: ["test.claiming.batch"],
      unreleased: [],
    });
    expect(seen?.aborted).toBe(true);
    expect(events).toEqual(["released", "closed"]);
    await expect(createWorker().stop({ releaseMs: 60_001 })).rejects.toMatchObject({ code: "invalid_deadline" });
    await expect(createWorker().stop({ deadlineMs: 1_000, releaseMs: 1_001 })).rejects.toMatchObject({ code: "invalid_deadline" });
  });

  it("refuses bad options with stable codes", async () => {
    const q = queueDuty("test.queue.opts", 0);
    expect(codeOf(() => createWorker({ additionalDuties: [q.duty, q.duty] }))).toBe("duplicate_duty");
    expect(codeOf(() => createWorker({ additionalDuties: [q.duty], duties: { "test.nope": { enabled: false } } }))).toBe("unknown_duty");
    expect(codeOf(() => createWorker({ additionalDuties: [q.duty], duties: { "test.queue.opts": { batchSize: 0 } } }))).toBe(
      "invalid_duty_options",
    );
    expect(
      codeOf(() =>
        createWorker({ additionalDuties: [{ ...q.duty, maxBatchSize: 100 }], duties: { "test.queue.opts": { batchSize: 101 } } }),
      ),
    ).toBe("invalid_duty_options");
    expect(codeOf(() => createWorker({ additionalDuties: [q.duty], duties: { "test.queue.opts": { intervalMs: 1.5 } } }))).toBe(
      "invalid_duty_options",
    );
    const worker = createWorker({ additionalDuties: [q.duty] });
    await expect(worker.runOnce("test.nope")).rejects.toMatchObject({ code: "unknown_duty" });
    await expect(worker.stop({ deadlineMs: -1 })).rejects.toMatchObject({ code: "invalid_deadline" });
  });

  it("does not run a disabled duty", async () => {
    const q = queueDuty("test.queue.off", 5);
    const worker = createWorker({ additionalDuties: [q.duty], duties: { "test.queue.off": { enabled: false } } }).start();
    await worker.runOnce();
    await worker.stop({ deadlineMs: 100 });
    expect(q.taken).toEqual([]);
    expect(worker.health().duties[0]!.enabled).toBe(false);
  });
});
