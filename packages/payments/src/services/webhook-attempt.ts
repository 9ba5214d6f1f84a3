import { countMetric, METRICS, writeLog } from "@platform/core";
import { parseRetryAfter, type DeliveryAttempt, type WebhookDelivery } from "../domain/webhook-delivery.js";
import type { WebhookEndpoint } from "../domain/webhook-endpoint.js";
import { signWebhook } from "../domain/webhook-signature.js";
import type { WebhookTransport } from "../ports/webhook-transport.js";
import type { ServiceContext } from "./context.js";

/** One HTTP attempt, signed (at send time) with the endpoint's live secrets; never throws. */
export async function attemptDelivery(
  ctx: ServiceContext,
  http: { transport: WebhookTransport; timeoutMs: number },
  d: WebhookDelivery,
  endpoint: WebhookEndpoint,
  manual: boolean,
): Promise<{ attempt: DeliveryAttempt; status?: number; retryAfter?: number }> {
  const started = ctx.clock.now();
  const secrets = endpoint.secrets.filter((s) => !s.expiresAt || s.expiresAt.getTime() > started.getTime()).map((s) => s.secret);
  const headers = {
    ...signWebhook(secrets, d.messageId, Math.floor(started.getTime() / 1000), d.payload),
    "content-type": "application/json",
    "user-agent": "platform-payments-webhooks/1",
  };
  try {
    const res = await http.transport({ url: endpoint.url, headers, body: d.payload, timeoutMs: http.timeoutMs });
    const status = res.status;
    const retryAfter = parseRetryAfter(res.headers["retry-after"], ctx.clock.now());
    return {
      status,
      retryAfter,
      attempt: {
        at: started,
        status,
        durationMs: ctx.clock.now().getTime() - started.getTime(),
        responseBody: res.body?.slice(0, 1024),
        manual,
      },
    };
  } catch (e) {
    return {
      attempt: {
        at: started,
        error: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
        durationMs: ctx.clock.now().getTime() - started.getTime(),
        manual,
      },
    };
  }
}

/**
 * Counts an attempt by outcome and logs a failed one (a webhook attempt failure is otherwise only
 * visible in the delivery's attempt list). Returns the outcome: `delivered`, `http_error`,
 * `network_error` or `endpoint_unavailable`.
 */
export function observeAttempt(ctx: ServiceContext, d: WebhookDelivery, attempt: DeliveryAttempt, status: number | undefined): string {
  const outcome =
    status !== undefined
      ? status >= 200 && status < 300
        ? "delivered"
        : "http_error"
      : attempt.error === "endpoint disabled" || attempt.error === "endpoint deleted"
        ? "endpoint_unavailable"
        : "network_error";
  countMetric(METRICS.webhookAttempts, { "platform.outcome": outcome });
  if (outcome !== "delivered") {
    writeLog(ctx.logger, "warn", "webhook delivery attempt failed", {
      code: `webhook_${outcome}`,
      deliveryId: d.id,
      endpointId: d.endpointId,
      eventId: d.messageId,
      eventType: d.eventType,
      attempt: d.attemptCount + 1,
      ...(status !== undefined ? { status } : { error: attempt.error }),
    });
  }
  return outcome;
}
