/**
 * At most `limit` holders per key at once, the rest queued first come first served. In-process: it
 * bounds what one dispatcher sends to one endpoint, so a slow or hostile receiver cannot hold every
 * request of a batch open.
 */
export class KeyedLimiter {
  private readonly slots = new Map<string, { active: number; waiters: (() => void)[] }>();

  constructor(private readonly limit: number) {}

  /** Waits for a slot of `key`; resolves true when it had to wait. Pair every call with `release`. */
  async acquire(key: string): Promise<boolean> {
    let slot = this.slots.get(key);
    if (!slot) this.slots.set(key, (slot = { active: 0, waiters: [] }));
    if (slot.active < this.limit) {
      slot.active++;
      return false;
    }
    // The releasing holder hands its slot over, so `active` stays as it is.
    await new Promise<void>((resolve) => slot.waiters.push(resolve));
    return true;
  }

  /** Frees a slot of `key`, handing it to the next waiter if any. */
  release(key: string): void {
    const slot = this.slots.get(key);
    if (!slot) return;
    const next = slot.waiters.shift();
    if (next) next();
    else if (--slot.active === 0) this.slots.delete(key);
  }

  /** Holders of `key` now (for tests and metrics). */
  active(key: string): number {
    return this.slots.get(key)?.active ?? 0;
  }
}
