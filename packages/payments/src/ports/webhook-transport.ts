/** One webhook HTTP request. */
export interface WebhookRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly timeoutMs: number;
}

/** The receiver's answer. */
export interface WebhookResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | undefined;
}

/**
 * Sends a webhook POST. Throws on network failure or timeout; any HTTP status resolves. `body` of the
 * answer is what was read of it, bounded by the transport. The default (`createWebhookTransport`)
 * refuses non-public destinations at every connection and bounds what it reads; a transport of your
 * own (proxies, mTLS) takes over that duty.
 */
export type WebhookTransport = (request: WebhookRequest) => Promise<WebhookResponse>;
