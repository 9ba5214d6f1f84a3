import { ValidationError } from "@platform/core";
import type { Context } from "hono";

/**
 * The JSON object of the request body.
 * @throws ValidationError `invalid_json` (not JSON), `invalid_body` (JSON but not an object).
 */
export async function readJson(c: Context): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new ValidationError("invalid_json", "the request body is not valid JSON", {
      issues: [{ path: [], message: "not valid JSON", code: "invalid_json" }],
    });
  }
  return asObject(body);
}

function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ValidationError("invalid_body", "the request body must be a JSON object", {
      issues: [{ path: [], message: "must be an object", code: "invalid_body" }],
    });
  }
  return body as Record<string, unknown>;
}

/**
 * `limit` and `cursor` from the query string. A non-numeric limit is passed on as text, so the
 * service's schema refuses it with a ValidationError naming `limit`.
 */
export function pageQuery(c: Context): { limit?: number; cursor?: string } {
  const limit = c.req.query("limit");
  const cursor = c.req.query("cursor");
  const n = limit === undefined || limit === "" ? undefined : /^\d+$/.test(limit) ? Number(limit) : (limit as unknown as number);
  return { ...(n !== undefined ? { limit: n } : {}), ...(cursor ? { cursor } : {}) };
}

/** Like {@link readJson}, but an empty body reads as `{}` (for actions whose fields are all optional). */
export async function readOptionalJson(c: Context): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ValidationError("invalid_json", "the request body is not valid JSON", {
      issues: [{ path: [], message: "not valid JSON", code: "invalid_json" }],
    });
  }
  return asObject(body);
}
