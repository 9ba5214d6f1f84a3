import { afterAll, beforeAll } from "vitest";
import { StripeGateway } from "../src/adapters/stripe/index.js";
import { describePaymentGatewayContract, startStripeMockServer, type StripeMockServer } from "../src/testing/index.js";

let server: StripeMockServer;
beforeAll(async () => {
  server = await startStripeMockServer({ secretKey: "sk_test_contract0001" });
});
afterAll(() => server.close());

describePaymentGatewayContract(
  "StripeGateway on the local Stripe server",
  () =>
    new StripeGateway({ secretKey: "sk_test_contract0001", host: server.host, port: server.port, protocol: "http", maxNetworkRetries: 0 }),
  {
    chargeCount: (paymentId) => server.chargeCount(paymentId),
    customerAction: {
      method: "pm_card_threeDSecure2Required",
      complete: ({ reference }, outcome) => server.completeAction(reference, outcome),
    },
  },
);
