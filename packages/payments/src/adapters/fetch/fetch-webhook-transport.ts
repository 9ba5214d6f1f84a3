import type { WebhookTransport } from "../../ports/webhook-transport.js";

/**
 * The default transport: global `fetch`, POST, with a timeout, never following redirects (a
 * redirect could point a verified public URL at an internal one).
 */
export const fetchTransport: WebhookTransport = async (req) => {
  const res = await fetch(req.url, {
    method: "POST",
    headers: req.headers,
    body: req.body,
    redirect: "manual",
    signal: AbortSignal.timeout(req.timeoutMs),
  });
  const text = await res.text().catch(() => "");
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => (headers[k] = v));
  return { status: res.status, headers, body: text.slice(0, 1024) };
};
