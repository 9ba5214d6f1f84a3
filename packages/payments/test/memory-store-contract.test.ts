import { MemoryPaymentStore } from "../src/index.js";
import { describePaymentStoreContract } from "../src/testing/index.js";

describePaymentStoreContract("memory", () => new MemoryPaymentStore());
