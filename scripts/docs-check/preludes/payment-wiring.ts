// Prelude for doc blocks that build a payment system from a store and gateways made earlier.
declare const store: import("@platform/payments").PaymentSystemOptions["store"];
declare const gateways: Record<string, import("@platform/payments").PaymentGateway>;
