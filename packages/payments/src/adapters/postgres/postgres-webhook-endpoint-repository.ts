import type { CursorCodec, Page } from "@platform/core";
import type { Queryable } from "@platform/core/postgres";
import type { WebhookEndpoint } from "../../domain/webhook-endpoint.js";
import type { PageQuery, WebhookEndpointRepository } from "../../ports/payment-store.js";
import { afterKey, toPage } from "./keyset.js";
import { run } from "./sql-errors.js";

interface EndpointRow {
  id: string;
  url: string;
  events: string[];
  secrets: { secret: string; createdAt: string; expiresAt?: string }[];
  enabled: boolean;
  disabled_reason: string | null;
  description: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = "id, url, events, secrets, enabled, disabled_reason, description, created_at, updated_at";

function toEndpoint(r: EndpointRow): WebhookEndpoint {
  return {
    id: r.id,
    url: r.url,
    events: r.events,
    secrets: r.secrets.map((s) => ({
      secret: s.secret,
      createdAt: new Date(s.createdAt),
      expiresAt: s.expiresAt ? new Date(s.expiresAt) : undefined,
    })),
    enabled: r.enabled,
    disabledReason: r.disabled_reason ?? undefined,
    description: r.description ?? undefined,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function values(e: WebhookEndpoint): unknown[] {
  return [
    e.id,
    e.url,
    [...e.events],
    JSON.stringify(e.secrets),
    e.enabled,
    e.disabledReason ?? null,
    e.description ?? null,
    e.createdAt,
    e.updatedAt,
  ];
}

/**
 * Webhook endpoints on `webhook_endpoints` (secrets as jsonb, a partial index of the enabled ones).
 * @throws ConflictError `duplicate_id`; ValidationError `nul_character`, `invalid_cursor`.
 */
export class PostgresWebhookEndpointRepository implements WebhookEndpointRepository {
  constructor(
    private readonly db: Queryable,
    private readonly codec: CursorCodec,
  ) {}

  async get(id: string): Promise<WebhookEndpoint | null> {
    const { rows } = await run<EndpointRow>(this.db, `SELECT ${COLUMNS} FROM webhook_endpoints WHERE id = $1`, [id]);
    return rows[0] ? toEndpoint(rows[0]) : null;
  }

  async insert(e: WebhookEndpoint): Promise<void> {
    await run(this.db, `INSERT INTO webhook_endpoints (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, values(e));
  }

  async update(e: WebhookEndpoint): Promise<void> {
    await run(
      this.db,
      "UPDATE webhook_endpoints SET url = $2, events = $3, secrets = $4, enabled = $5, disabled_reason = $6, description = $7, updated_at = $8 WHERE id = $1",
      [e.id, e.url, [...e.events], JSON.stringify(e.secrets), e.enabled, e.disabledReason ?? null, e.description ?? null, e.updatedAt],
    );
  }

  async disable(id: string, url: string, reason: string, now: Date): Promise<boolean> {
    const { rowCount } = await run(
      this.db,
      "UPDATE webhook_endpoints SET enabled = false, disabled_reason = $3, updated_at = $4 WHERE id = $1 AND url = $2 AND enabled",
      [id, url, reason, now],
    );
    return rowCount === 1;
  }

  async delete(id: string): Promise<boolean> {
    const { rowCount } = await run(this.db, "DELETE FROM webhook_endpoints WHERE id = $1", [id]);
    return rowCount === 1;
  }

  async listEnabled(): Promise<WebhookEndpoint[]> {
    const { rows } = await run<EndpointRow>(this.db, `SELECT ${COLUMNS} FROM webhook_endpoints WHERE enabled ORDER BY created_at, id`);
    return rows.map(toEndpoint);
  }

  async list(page: PageQuery): Promise<Page<WebhookEndpoint>> {
    const after = afterKey(this.codec, "webhooks.endpoints", page.cursor);
    const { rows } = await run<EndpointRow>(
      this.db,
      `SELECT ${COLUMNS} FROM webhook_endpoints WHERE ($1::timestamptz IS NULL OR (created_at, id) > ($1, $2)) ORDER BY created_at, id LIMIT $3`,
      [after ? new Date(Number(after[0])) : null, after?.[1] ?? "", page.limit + 1],
    );
    return toPage(this.codec, rows.map(toEndpoint), page.limit, "webhooks.endpoints", (e) => [e.createdAt.getTime(), e.id]);
  }
}
