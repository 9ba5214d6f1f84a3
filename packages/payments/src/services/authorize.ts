import { requireRole, type Actor } from "@platform/core";
import { ROLES_ACCEPTED, type PaymentsRole } from "../domain/payments-role.js";

/**
 * Checks that the actor may do what `role` allows (`admin` allows everything).
 * @throws ValidationError `invalid_actor`; ForbiddenError `role_required`.
 */
export function authorize(actor: Actor, role: PaymentsRole): void {
  requireRole(actor, ...ROLES_ACCEPTED[role]);
}
