/**
 * @platform/payments: payments through pluggable gateways with routing and fallback, an immutable
 * double-entry ledger, refunds, idempotency keys, fraud rules and signed webhooks.
 * @packageDocumentation
 */
export { createPaymentSystem, type PaymentSystem, type PaymentSystemOptions } from "./create-payment-system.js";
export { PaymentService, type PaymentRoutingOptions } from "./services/payment-service.js";
export { type PaymentsRole } from "./domain/payments-role.js";
export { PAYMENTS_ERROR_CODES, paymentsCodes, type PaymentsErrorCode } from "./domain/error-codes.js";
export { RefundService, type RefundOutcome } from "./services/refund-service.js";
export { GatewayEventService, type GatewayEventInput, type GatewayEventResult } from "./services/gateway-event-service.js";
export { type ExpireActionsSummary } from "./services/payment-actions.js";
export { TransactionService, listTransactionsSchema, type ListTransactionsInput } from "./services/transaction-service.js";
export { FraudService, listEntrySchema, addRuleSchema, type ListEntryInput, type AddRuleInput } from "./services/fraud-service.js";
export { WebhookService, type WebhookOptions } from "./services/webhook-service.js";
export { MaintenanceService, DEFAULT_RETENTION, type RetentionOptions } from "./services/maintenance-service.js";
export { GatewayRegistry, isAmbiguous, isFallbackEligible } from "./services/gateway-registry.js";
export {
  createWebhookTransport,
  fetchTransport,
  type WebhookTransportOptions,
  type ClosableWebhookTransport,
} from "./adapters/http/http-webhook-transport.js";
export { systemResolver, type HostResolver } from "./adapters/http/checked-connector.js";
export { TestGateway, TEST_PAYMENT_METHODS, type InjectedFault, type TestGatewayOptions } from "./adapters/test/test-gateway.js";
export { MemoryPaymentStore, type MemoryPaymentStoreOptions } from "./adapters/memory/memory-payment-store.js";

export { type PaymentStatus, PAYMENT_STATUSES, canTransition, assertTransition, isTerminal } from "./domain/payment-status.js";
export {
  type Payment,
  type CaptureMethod,
  type RefundStatus,
  type PaymentFailure,
  type FraudAssessment,
  type PaymentReview,
  type PaymentCustomer,
  type PaymentMethodDetails,
  type PendingOperation,
  type CustomerAction,
  refundStatusOf,
  refundableAmount,
} from "./domain/payment.js";
export { type PaymentJSON, toPaymentJSON } from "./domain/payment-json.js";
export {
  type CreatePaymentInput,
  type CapturePaymentInput,
  type CancelPaymentInput,
  type PaymentRef,
  type ListByStatusInput,
  type ReviewDecisionInput,
  createPaymentSchema,
  paymentRefSchema,
  listByStatusSchema,
  reviewDecisionSchema,
  capturePaymentSchema,
  cancelPaymentSchema,
  paymentMethodSchema,
  paymentCustomerSchema,
} from "./domain/payment-schemas.js";
export {
  type Refund,
  type RefundJSON,
  type RefundReason,
  type RefundStatusValue,
  type CreateRefundInput,
  createRefundSchema,
  toRefundJSON,
} from "./domain/refund.js";
export {
  type LedgerTransaction,
  type LedgerTransactionJSON,
  type LedgerTransactionType,
  type LedgerAccount,
  type Posting,
  isBalanced,
  accountBalances,
  toLedgerTransactionJSON,
} from "./domain/ledger.js";
export {
  type PaymentEventMap,
  type PaymentEventData,
  type RefundEventData,
  type PaymentEventType,
  PAYMENT_EVENT_TYPES,
} from "./domain/events.js";
export { type IdempotencyRecord, type IdempotencyResponse, IDEMPOTENCY_TTL_MS, fingerprintOf } from "./domain/idempotency.js";
export { type RoutingRule, routingRuleSchema, routeGateways } from "./domain/routing.js";
export { DEFAULT_MAX_AMOUNT_MINOR } from "./domain/amount-limit.js";
export {
  type GatewayData,
  type GatewayDataCheck,
  type JsonValue,
  checkGatewayData,
  gatewayDataOf,
  GATEWAY_DATA_MAX_BYTES,
  GATEWAY_DATA_MAX_DEPTH,
} from "./domain/gateway-data.js";
export {
  type FraudRule,
  type FraudRuleInput,
  type FraudCondition,
  type FraudAction,
  type FraudField,
  type StringField,
  type NumberField,
  type ComparisonOperator,
  type FraudOperator,
  type ConditionValue,
  type FraudContext,
  type VelocityField,
  fraudRuleInputSchema,
  fraudRuleDescriptionSchema,
  fraudConditionSchema,
  ruleToText,
  ruleMatches,
  VELOCITY_FIELDS,
} from "./domain/fraud-rule.js";
export { parseFraudRule, type ParsedFraudRule } from "./domain/fraud-rule-parser.js";
export { assessFraud, riskScore, DEFAULT_RISK_CONFIG, type RiskScoreConfig, type ListEntryType } from "./domain/fraud-assessment.js";
export {
  type WebhookEndpoint,
  type WebhookSecret,
  type CreateEndpointInput,
  type UpdateEndpointInput,
  type UrlPolicy,
  createEndpointSchema,
  updateEndpointSchema,
  eventMatches,
  urlProblem,
} from "./domain/webhook-endpoint.js";
export {
  type WebhookEndpointView,
  type WebhookSecretSummary,
  type CreatedWebhookEndpoint,
  maskWebhookSecret,
  toEndpointView,
} from "./domain/webhook-endpoint-view.js";
export { isPublicAddress, isLocalHost, normaliseHost } from "./domain/network-address.js";
export {
  type WebhookDelivery,
  type DeliveryAttempt,
  type DeliveryStatus,
  DEFAULT_RETRY_SCHEDULE_MS,
  nextRetryDelay,
  parseRetryAfter,
} from "./domain/webhook-delivery.js";
export { signWebhook, computeSignature, generateWebhookSecret } from "./domain/webhook-signature.js";
export { verifyWebhook, type VerifyWebhookOptions } from "./verify-webhook.js";
export type {
  PaymentGateway,
  GatewayAuthorizeRequest,
  GatewayAuthorization,
  GatewayPaymentState,
  GatewayRefund,
} from "./ports/payment-gateway.js";
export type { WebhookTransport, WebhookRequest, WebhookResponse } from "./ports/webhook-transport.js";
export type {
  PaymentStore,
  PaymentTx,
  PageQuery,
  PaymentRepository,
  LedgerRepository,
  RefundRepository,
  IdempotencyRepository,
  IdempotencyClaim,
  FraudRuleRepository,
  FraudListRepository,
  FraudSignalRepository,
  WebhookEndpointRepository,
  WebhookDeliveryRepository,
  DeliveryMessage,
  GatewayEventRepository,
  GatewayEventRecord,
} from "./ports/payment-store.js";
export { signalsNeeded, type FraudSignalQuery, type FraudSignals } from "./domain/fraud-signals.js";
