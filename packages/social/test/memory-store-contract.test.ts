import { MemorySocialStore } from "../src/index.js";
import { describeSocialStoreContract } from "../src/testing/index.js";

describeSocialStoreContract("memory", () => new MemorySocialStore());
