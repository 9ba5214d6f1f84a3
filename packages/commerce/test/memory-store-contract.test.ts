import { MemoryCommerceStore } from "../src/index.js";
import { describeCommerceStoreContract } from "../src/testing/index.js";

describeCommerceStoreContract("memory", () => new MemoryCommerceStore());
