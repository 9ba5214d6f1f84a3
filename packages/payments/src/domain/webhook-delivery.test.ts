import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_SCHEDULE_MS, MAX_RETRY_AFTER_MS, nextRetryDelay, parseRetryAfter } from "./webhook-delivery.js";
import { eventMatches } from "./webhook-endpoint.js";

describe("retry schedule", () => {
  it("follows 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h after the first attempt, then gives up", () => {
    const delays = [1, 2, 3, 4, 5, 6, 7].map((n) => nextRetryDelay(n, DEFAULT_RETRY_SCHEDULE_MS, 0));
    expect(delays).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(nextRetryDelay(8, DEFAULT_RETRY_SCHEDULE_MS, 0)).toBeUndefined();
  });
  it("jitter stays within 10 %; Retry-After wins when longer, capped at a day", () => {
    expect(nextRetryDelay(1, DEFAULT_RETRY_SCHEDULE_MS, 1)).toBe(5_500);
    expect(nextRetryDelay(1, DEFAULT_RETRY_SCHEDULE_MS, -1)).toBe(4_500);
    expect(nextRetryDelay(1, DEFAULT_RETRY_SCHEDULE_MS, 0, 60_000)).toBe(60_000);
    expect(nextRetryDelay(1, DEFAULT_RETRY_SCHEDULE_MS, 0, 1_000)).toBe(5_000);
    expect(nextRetryDelay(1, DEFAULT_RETRY_SCHEDULE_MS, 0, 10 * MAX_RETRY_AFTER_MS)).toBe(MAX_RETRY_AFTER_MS);
  });
  it("parses Retry-After seconds and HTTP dates", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:01:00 GMT", now)).toBe(60_000);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
  });
});

describe("event filters", () => {
  it("matches exact types, aggregate wildcards and *", () => {
    expect(eventMatches(["payment.*"], "payment.succeeded")).toBe(true);
    expect(eventMatches(["payment.*"], "refund.succeeded")).toBe(false);
    expect(eventMatches(["refund.failed"], "refund.failed")).toBe(true);
    expect(eventMatches(["*"], "anything.else")).toBe(true);
    expect(eventMatches(["pay.*"], "payment.succeeded")).toBe(false);
  });
});
