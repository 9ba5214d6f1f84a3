import { afterAll, beforeAll, inject } from "vitest";
import { createIsolatedDatabase, type IsolatedDatabase } from "@platform/core/testing";
import { migrateSocial, PostgresSocialStore } from "../src/adapters/postgres/index.js";
import { describeSocialStoreContract } from "../src/testing/index.js";
import { truncateSocial } from "./postgres-helpers.js";

let db: IsolatedDatabase;

beforeAll(async () => {
  db = await createIsolatedDatabase(inject("databaseUrl"), { prefix: "social_contract" });
  await migrateSocial(db.pool);
});
afterAll(async () => {
  await db?.drop();
});

// Every test of the contract gets empty tables.
describeSocialStoreContract("postgres", async () => {
  await truncateSocial(db.pool);
  return new PostgresSocialStore(db.pool);
});
