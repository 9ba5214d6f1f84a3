import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { eventNamesInSource, eventNameViolations } from "@platform/core/testing";
import { PAYMENT_EVENT_TYPES } from "../src/index.js";

const names = eventNamesInSource(readFileSync(new URL("../src/domain/events.ts", import.meta.url), "utf8"));

describe("payment event names", () => {
  it("PAYMENT_EVENT_TYPES lists exactly the events of PaymentEventMap", () => {
    expect([...PAYMENT_EVENT_TYPES].sort()).toEqual([...new Set(names)].sort());
  });
  it("every payment event is <aggregate>.<past_tense>, American spelling", () => {
    expect(eventNameViolations(PAYMENT_EVENT_TYPES)).toEqual([]);
  });
});
