// Prelude for doc blocks that pay through a payment system the host built elsewhere.
declare const paymentSystem: import("@platform/payments").PaymentSystem;
