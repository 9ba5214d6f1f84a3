/** Source of the current time. Inject it; domain code never calls `Date.now()`. */
export interface Clock {
  /** The current instant. */
  now(): Date;
}

/** The real wall clock. */
export const systemClock: Clock = Object.freeze({ now: () => new Date() });

/** A duration as milliseconds or a unit map. */
export type DurationInput = number | { days?: number; hours?: number; minutes?: number; seconds?: number; ms?: number };

/** Milliseconds of a {@link DurationInput}. */
export function durationMs(d: DurationInput): number {
  if (typeof d === "number") return d;
  return ((((d.days ?? 0) * 24 + (d.hours ?? 0)) * 60 + (d.minutes ?? 0)) * 60 + (d.seconds ?? 0)) * 1000 + (d.ms ?? 0);
}

/**
 * A clock that moves only when told to: tests use it for expiry, TTLs and ordering.
 * @example
 * ```ts
 * const clock = new ManualClock("2026-01-01T00:00:00Z");
 * clock.advance({ minutes: 16 }); // a 15-minute reservation has now expired
 * ```
 */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date | string | number = "2026-01-01T00:00:00.000Z") {
    this.current = new Date(start).getTime();
    if (Number.isNaN(this.current)) throw new TypeError(`invalid start time ${String(start)}`);
  }

  now(): Date {
    return new Date(this.current);
  }

  /** Moves time forward (a negative duration moves it back). */
  advance(by: DurationInput): Date {
    this.current += durationMs(by);
    return this.now();
  }

  /** Jumps to an instant. */
  set(to: Date | string | number): void {
    this.current = new Date(to).getTime();
  }
}
