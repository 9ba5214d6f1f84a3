// Prelude for doc blocks that wire notification jobs: the PostgreSQL store, the payment port and
// the template overrides and locale resolver built earlier on the page.
declare const store: import("@platform/commerce/postgres").PostgresCommerceStore;
declare const payments: import("@platform/commerce").PaymentPort;
declare const templates: import("@platform/commerce").NotificationTemplates;
declare const languageOf: import("@platform/commerce").NotificationLocaleResolver;
