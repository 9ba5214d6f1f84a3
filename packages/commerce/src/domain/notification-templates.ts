import type { Money } from "@platform/core";
import type { Order } from "./order.js";

// Intl.NumberFormat is costly to build; one per currency is reused (same output as Money.format).
const formatters = new Map<string, Intl.NumberFormat>();
// Money is immutable: an amount met again (a product's price in every confirmation of it) keeps its text.
const formatted = new WeakMap<Money, string>();
function money(m: Money): string {
  let text = formatted.get(m);
  if (text === undefined) formatted.set(m, (text = format(m)));
  return text;
}
function format(m: Money): string {
  let f = formatters.get(m.currency);
  if (!f)
    formatters.set(
      m.currency,
      (f = new Intl.NumberFormat("en-US", {
        style: "currency",
        currency: m.currency,
        minimumFractionDigits: m.scale,
        maximumFractionDigits: m.scale,
      })),
    );
  // The exact decimal string (Intl formats strings without a float; the formatter pads to the scale).
  // Plain notation always: the SDK's Decimal writes exponents only beyond 60 digits. Cheaper than toFixed, which copies.
  return f.format(m.amount.toString() as unknown as number);
}

/** A rendered message in both formats. */
export interface RenderedMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Short form for SMS. */
  readonly sms: string;
}

const HTML_ENTITIES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML bodies: customer-controlled names must not inject markup. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}

function layout(title: string, body: string): string {
  return `<!doctype html><html><body style="font-family:sans-serif"><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

/** The order confirmation sent when an order is paid. */
export function orderConfirmation(input: { customerName: string; order: Order }): RenderedMessage {
  const { customerName, order } = input;
  const lines = order.lines.map((l) => `${l.quantity} x ${l.name} (${l.sku}) @ ${money(l.unitPrice)} = ${money(l.lineTotal)}`);
  const total = money(order.total);
  const totals = [
    `Subtotal: ${money(order.subtotal)}`,
    `Shipping: ${money(order.shipping)}`,
    `Tax: ${money(order.tax)}`,
    `Total: ${total}`,
  ];
  const text = [`Hello ${customerName},`, "", `Thank you for your order ${order.id}.`, "", ...lines, "", ...totals].join("\n");
  const html = layout(
    `Order ${order.id} confirmed`,
    `<p>Hello ${escapeHtml(customerName)},</p><p>Thank you for your order.</p><ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join("")}</ul><p>${totals.map(escapeHtml).join("<br>")}</p>`,
  );
  return { subject: `Your order ${order.id} is confirmed`, text, html, sms: `Order ${order.id} confirmed, total ${total}.` };
}

/** The shipping notice. */
export function orderShipped(input: { customerName: string; order: Order }): RenderedMessage {
  const { customerName, order } = input;
  const tracking = order.trackingNumber ? `Tracking number: ${order.trackingNumber}` : "A tracking number will follow.";
  const text = [`Hello ${customerName},`, "", `Your order ${order.id} has shipped.`, tracking].join("\n");
  const html = layout(
    `Order ${order.id} shipped`,
    `<p>Hello ${escapeHtml(customerName)},</p><p>Your order has shipped.</p><p>${escapeHtml(tracking)}</p>`,
  );
  return { subject: `Your order ${order.id} has shipped`, text, html, sms: `Order ${order.id} shipped. ${tracking}` };
}

/** The security notice after a password change. */
export function passwordChanged(input: { customerName: string }): RenderedMessage {
  const text = [
    `Hello ${input.customerName},`,
    "",
    "Your password was changed and your other sessions were signed out.",
    "If this was not you, reset your password now.",
  ].join("\n");
  const html = layout(
    "Password changed",
    `<p>Hello ${escapeHtml(input.customerName)},</p><p>Your password was changed and your other sessions were signed out.</p><p>If this was not you, reset your password now.</p>`,
  );
  return { subject: "Your password was changed", text, html, sms: "Your password was changed. If this was not you, reset it now." };
}

/** The notice to an existing customer after someone tried to register with their e-mail (uniform registration). */
export function registrationAttempted(input: { customerName: string }): RenderedMessage {
  const lines = [
    "Someone tried to create a new account with this e-mail address, which already has one.",
    "If that was you, sign in or reset your password. Otherwise you can ignore this message: nothing changed.",
  ];
  const text = [`Hello ${input.customerName},`, "", ...lines].join("\n");
  const html = layout(
    "Registration attempt",
    `<p>Hello ${escapeHtml(input.customerName)},</p>${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join("")}`,
  );
  return {
    subject: "Someone tried to register with your e-mail",
    text,
    html,
    sms: "Someone tried to register with your e-mail. If it was you, sign in or reset your password.",
  };
}
