import { describe, expect, it } from "vitest";
import { PlatformError } from "@platform/core";
import { computeSignature, generateWebhookSecret, signWebhook, verifyWebhookAt } from "./webhook-signature.js";

// The test vector published with the Standard Webhooks / Svix reference libraries.
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const TS = 1614265330;
const BODY = '{"test": 2432232314}';

describe("Standard Webhooks signatures", () => {
  it("matches the reference test vector", () => {
    expect(computeSignature(SECRET, ID, TS, BODY)).toBe("g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    const headers = signWebhook([SECRET], ID, TS, BODY);
    expect(headers["webhook-signature"]).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    expect(verifyWebhookAt(BODY, headers, SECRET, { now: new Date(TS * 1000) }).payload).toEqual({ test: 2432232314 });
  });

  it("accepts any one of several signatures and ignores unknown versions", () => {
    const other = generateWebhookSecret();
    const h = signWebhook([other, SECRET], ID, TS, BODY);
    h["webhook-signature"] = `v2,abc ${h["webhook-signature"]}`;
    expect(() => verifyWebhookAt(BODY, h, SECRET, { now: new Date(TS * 1000) })).not.toThrow();
    expect(() => verifyWebhookAt(BODY, h, other, { now: new Date(TS * 1000) })).not.toThrow();
  });

  it.each([
    ["a tampered body", BODY.replace("2432", "9999"), SECRET, TS, "webhook_signature_invalid"],
    ["a wrong secret", BODY, generateWebhookSecret(), TS, "webhook_signature_invalid"],
    ["a stale timestamp", BODY, SECRET, TS + 301, "webhook_timestamp_stale"],
    ["a future timestamp", BODY, SECRET, TS - 301, "webhook_timestamp_stale"],
  ])("rejects %s", (_, body, secret, nowSeconds, code) => {
    const headers = signWebhook([SECRET], ID, TS, BODY);
    try {
      verifyWebhookAt(body, headers, secret, { now: new Date(nowSeconds * 1000) });
      expect.unreachable();
    } catch (e) {
      expect(PlatformError.is(e, code)).toBe(true);
    }
  });

  it("generates whsec_ secrets of 32 random bytes", () => {
    const s = generateWebhookSecret();
    expect(s).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(s).not.toBe(generateWebhookSecret());
  });
});
