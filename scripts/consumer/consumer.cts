// The CommonJS types (.d.cts) under node16: a require() user's view.
import core = require("@platform/core");
import payments = require("@platform/payments");

export function money(): string {
  const system = payments.createPaymentSystem({ gateways: { test: new payments.TestGateway() } });
  void system;
  return core.Money.of("12.30", "EUR").toJSON().amount;
}
