/**
 * Waits until `check` holds, polling every `intervalMs`, and fails with `what` after `timeoutMs`:
 * tests wait for an observable state with a deadline instead of sleeping.
 * @throws Error `timed out waiting for <what>` when the deadline passes first.
 * @example
 * ```ts
 * await waitUntil(() => gateway.received.capture >= 1, "the capture to reach the provider");
 * ```
 */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  what: string,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 10));
  }
}
