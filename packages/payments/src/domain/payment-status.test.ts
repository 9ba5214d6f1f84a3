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

  it("requires_action is entered from processing only and left only forward", () => {
    expect(canTransition("processing", "requires_action")).toBe(true);
    expect(canTransition("created", "requires_action")).toBe(false);
    for (const to of ["requires_capture", "succeeded", "failed", "canceled"] as const)
      expect(canTransition("requires_action", to)).toBe(true);
    for (const to of ["created", "processing", "requires_action"] as const) expect(canTransition("requires_action", to)).toBe(false);
    for (const from of ["succeeded", "failed", "canceled", "requires_capture"] as const)
      expect(canTransition(from, "requires_action")).toBe(false);
  });

  it("cannot cancel a captured payment nor capture a failed one", () => {
    expect(canTransition("succeeded", "canceled")).toBe(false);
    expect(canTransition("failed", "succeeded")).toBe(false);
  });
});
