// Prelude for doc blocks about the worker: the platforms, stores and logger a worker process built earlier.
declare const commerce: import("@platform/commerce").ECommercePlatform;
declare const payments: import("@platform/payments").PaymentSystem;
declare const social: import("@platform/social").SocialMediaPlatform;
declare const commerceStore: import("@platform/commerce/postgres").PostgresCommerceStore;
declare const paymentStore: import("@platform/payments/postgres").PostgresPaymentStore;
declare const logger: import("@platform/core").Logger;
declare const clock: import("@platform/core").Clock;
declare const myDuty: import("@platform/core").BackgroundDuty;
declare const pool: import("pg").Pool;
