// Prelude for doc blocks that use a payment system built earlier on the page.
declare const system: import("@platform/payments").PaymentSystem;
