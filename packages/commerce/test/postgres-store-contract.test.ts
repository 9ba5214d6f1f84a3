import { afterAll, beforeAll, inject } from "vitest";
import type { IsolatedDatabase } from "@platform/core/testing";
import { describeCommerceStoreContract } from "../src/testing/index.js";
import { migratedDatabase, storeOn, truncateCommerce } from "./postgres-helpers.js";

let db: IsolatedDatabase;
beforeAll(async () => {
  db = await migratedDatabase(inject("databaseUrl"), 40);
});
afterAll(() => db?.drop());

describeCommerceStoreContract("postgres", async () => {
  await truncateCommerce(db);
  return storeOn(db);
});
