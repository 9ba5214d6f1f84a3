import { describe, expect, it } from "vitest";
import { PlatformError } from "@platform/core";
import { assertTransition, canTransition, isTerminal, PAYMENT_STATUSES } from "./payment-status.js";

describe("payment state machine", () => {
  it("allows the documented lifecycle", () => {
    expect(canTransition("created", "processing")).toBe(true);
    expect(canTransition("processing", "succeeded")).toBe(true);
    expect(canTransition("requires_capture", "canceled")).toBe(true);
    expect(canTransition("requires_capture", "processing")).toBe(true);
  });

  it("terminal states never move", () => {
    for (const from of PAYMENT_STATUSES.filter(isTerminal)) {
      for (const to of PAYMENT_STATUSES) {
        expect(canTransition(from, to)).toBe(false);
        try {
          assertTransition(from, to);
          expect.unreachable();
        } catch (e) {
          expect(PlatformError.is(e, "invalid_transition")).toBe(true);
        }
      }
    }
  });

  it("cannot cancel a captured payment nor capture a failed one", () => {
    expect(canTransition("succeeded", "canceled")).toBe(false);
    expect(canTransition("failed", "succeeded")).toBe(false);
  });
});
