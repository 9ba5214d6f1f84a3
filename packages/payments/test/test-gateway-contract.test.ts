import { TestGateway } from "../src/index.js";
import { describePaymentGatewayContract } from "../src/testing/index.js";

// One gateway for the whole suite, so chargeCount sees what every test's gateway did.
const gateway = new TestGateway();
describePaymentGatewayContract("TestGateway", () => gateway, {
  chargeCount: (paymentId) => gateway.chargeCount(paymentId),
  customerAction: {
    method: "pm_card_threeDSecure2Required",
    complete: ({ paymentId }, outcome) => gateway.completeAction(paymentId, outcome),
  },
});
