import type { Actor } from "@platform/core";
import type { PaymentsRole } from "../domain/payments-role.js";

/** An actor holding `admin` (which implies `payments:read` and `payments:write`), for tests and demos. */
export const PAYMENTS_ADMIN_ACTOR: Actor<PaymentsRole> = Object.freeze({
  id: "test-admin",
  roles: Object.freeze(["admin"]) as readonly PaymentsRole[],
});
