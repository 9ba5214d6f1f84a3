import { ConfigurationError } from "@platform/core";
import { orderConfirmation, orderShipped, passwordChanged, registrationAttempted, type RenderedMessage } from "./notification-templates.js";
import type { Order } from "./order.js";
import { commerceCodes } from "./error-codes.js";

/** The message types the notifiers send, one per triggering event. */
export const NOTIFICATION_TEMPLATE_NAMES = ["order_confirmation", "order_shipped", "password_changed", "registration_attempted"] as const;
/** A message type: `order_confirmation`, `order_shipped`, `password_changed` or `registration_attempted`. */
export type NotificationTemplateName = (typeof NOTIFICATION_TEMPLATE_NAMES)[number];

/** What a template of each message type receives. `locale` is the recipient's canonical locale tag, or null when unknown. */
export interface NotificationTemplateInputs {
  order_confirmation: { customerName: string; order: Order; locale: string | null };
  order_shipped: { customerName: string; order: Order; locale: string | null };
  password_changed: { customerName: string; locale: string | null };
  registration_attempted: { customerName: string; locale: string | null };
}

/** Renders one message type. Escape customer-controlled text in `html` (see {@link escapeHtml}). */
export type NotificationTemplate<K extends NotificationTemplateName> = (input: NotificationTemplateInputs[K]) => RenderedMessage;

/**
 * Template overrides, by message type and then by locale tag: `"de"` serves every German
 * locale, `"de-CH"` only Swiss German (the most specific tag wins), `"*"` every locale without
 * a more specific entry. A type or locale without an override uses the built-in English template.
 * @example
 * ```ts
 * const templates: NotificationTemplates = {
 *   order_shipped: { de: ({ customerName, order }) => ({ subject: `Bestellung ${order.id} versandt`, text: `Hallo ${customerName}`, html: `<p>Hallo ${escapeHtml(customerName)}</p>`, sms: `Bestellung ${order.id} versandt` }) },
 * };
 * ```
 */
export type NotificationTemplates = { readonly [K in NotificationTemplateName]?: Readonly<Record<string, NotificationTemplate<K>>> };

const BUILT_IN: { readonly [K in NotificationTemplateName]: NotificationTemplate<K> } = {
  order_confirmation: orderConfirmation,
  order_shipped: orderShipped,
  password_changed: passwordChanged,
  registration_attempted: registrationAttempted,
};

/** A canonical BCP 47 tag (`"de-ch"` -> `"de-CH"`), or null for anything that is not one. */
export function canonicalLocale(value: unknown): string | null {
  if (typeof value !== "string" || value.length === 0 || value.length > 64) return null;
  try {
    return Intl.getCanonicalLocales(value)[0] ?? null;
  } catch {
    return null;
  }
}

/**
 * Checks template overrides once, at wiring time, so a typo never silently falls back to the
 * built-in text: unknown message types, malformed locale tags, two keys for one locale and
 * non-function templates are refused. Returns the overrides keyed by canonical locale tags.
 * @throws ConfigurationError `invalid_notification_templates`.
 */
export function checkNotificationTemplates(templates: unknown): NotificationTemplates {
  const fail = (why: string): never => {
    throw new ConfigurationError(commerceCodes.invalid_notification_templates, `notification templates: ${why}`, {
      details: { reason: why },
    });
  };
  if (templates === undefined || templates === null) return {};
  if (typeof templates !== "object" || Array.isArray(templates)) return fail("expected an object keyed by message type");
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, byLocale] of Object.entries(templates)) {
    if (!(NOTIFICATION_TEMPLATE_NAMES as readonly string[]).includes(name))
      fail(`unknown message type "${name}" (expected one of ${NOTIFICATION_TEMPLATE_NAMES.join(", ")})`);
    if (typeof byLocale !== "object" || byLocale === null || Array.isArray(byLocale)) fail(`${name}: expected an object keyed by locale`);
    const locales: Record<string, unknown> = {};
    for (const [tag, template] of Object.entries(byLocale as object)) {
      const key = tag === "*" ? "*" : canonicalLocale(tag);
      if (key === null) fail(`${name}: "${tag}" is not a locale tag`);
      if (typeof template !== "function") fail(`${name}.${tag}: expected a function`);
      if (Object.hasOwn(locales, key!)) fail(`${name}: "${tag}" names a locale given twice`);
      locales[key!] = template;
    }
    out[name] = locales;
  }
  return out as NotificationTemplates;
}

/** The template for a type and locale: the most specific locale override, then `"*"`, then the built-in one. */
export function selectTemplate<K extends NotificationTemplateName>(
  templates: NotificationTemplates,
  name: K,
  locale: string | null,
): NotificationTemplate<K> {
  const byLocale = templates[name] as Readonly<Record<string, NotificationTemplate<K>>> | undefined;
  if (byLocale) {
    const subtags = locale ? locale.split("-") : [];
    for (let n = subtags.length; n > 0; n--) {
      const found = byLocale[subtags.slice(0, n).join("-")];
      if (found) return found;
    }
    if (byLocale["*"]) return byLocale["*"];
  }
  return BUILT_IN[name];
}
