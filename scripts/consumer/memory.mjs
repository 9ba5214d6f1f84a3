import * as core from "@platform/core";
import * as commerce from "@platform/commerce";
import * as commercePayments from "@platform/commerce/payments";
import * as payments from "@platform/payments";
import * as social from "@platform/social";
import scenario from "./scenario.cjs";

await scenario({ core, commerce, commercePayments, payments, social }, "ESM");
