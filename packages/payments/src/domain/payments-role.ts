/**
 * The roles payments methods check on the caller's `Actor`: `payments:read` (reads), `payments:write`
 * (charges, captures, cancels, refunds) and `admin` (reviews, fraud rules, webhook endpoints and
 * deliveries, reconciliation on request, provider events), which implies the other two.
 */
export type PaymentsRole = "payments:read" | "payments:write" | "admin";

/** The roles that satisfy each payments role: `admin` satisfies all three. */
export const ROLES_ACCEPTED: Readonly<Record<PaymentsRole, readonly PaymentsRole[]>> = Object.freeze({
  "payments:read": ["payments:read", "admin"],
  "payments:write": ["payments:write", "admin"],
  admin: ["admin"],
});
