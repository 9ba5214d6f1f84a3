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
 * Sends a webhook POST. Throws on network failure or timeout; any HTTP status resolves.
 * Inject your own to add proxies, pinned DNS or mTLS; the default uses global `fetch`.
 */
export type WebhookTransport = (request: WebhookRequest) => Promise<WebhookResponse>;
