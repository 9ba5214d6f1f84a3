// Prelude for doc blocks that use a payment system built earlier on the page.
declare const system: import("@platform/payments").PaymentSystem;
// The API client or back-office user the host authenticated (roles payments:read / payments:write / admin).
declare const admin: import("@platform/core").Actor<import("@platform/payments").PaymentsRole>;
