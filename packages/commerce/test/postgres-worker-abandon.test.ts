import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { spawnWorkers, type IsolatedDatabase } from "@platform/core/testing";
import { MemoryNotificationOutbox, type IdentifiedEmailMessage } from "../src/index.js";
import { PostgresNotificationJobs } from "../src/adapters/postgres/index.js";
import { migratedDatabase, storeOn } from "./postgres-helpers.js";

// A worker process stopped (SIGTERM) past its deadline while a send is in flight hands the message back:
// another process sends it at once, 60 s before the claim's lease would have lapsed.
const WORKER = fileURLToPath(new URL("./fixtures/abandoning-worker-process.ts", import.meta.url));
let db: IsolatedDatabase;
beforeAll(async () => {
  db = await migratedDatabase(inject("databaseUrl"), 4);
});
afterAll(async () => {
  await db?.drop();
});

describe("a worker process stopped past its deadline on PostgreSQL", () => {
  it("hands back the message it was sending; this process sends it at once, once", async () => {
    const store = storeOn(db);
    const message = { to: "jane@example.com", subject: "Your order", text: "Thanks", template: "order_confirmation" };
    await store.transaction((tx) =>
      tx.notifications.enqueue([
        {
          id: "ntf_proc_1",
          eventId: "evt_proc_1",
          channel: "email",
          recipient: message.to,
          template: message.template,
          message,
          createdAt: new Date(Date.now() - 1_000),
        },
      ]),
    );
    const [result] = await spawnWorkers(WORKER, 1, {
      args: () => [db.url],
      timeoutMs: 60_000,
      onSpawn: (_i, child) => {
        let out = "";
        child.stdout!.on("data", (c: Buffer) => {
          out += c.toString();
          if (out.includes("sending ntf_proc_1") && !out.includes("#term")) {
            out += "#term";
            child.kill("SIGTERM");
          }
        });
      },
    });
    expect(result!.stderr).toBe("");
    const outbox = new MemoryNotificationOutbox();
    expect(await new PostgresNotificationJobs({ store, email: outbox }).runOnce()).toMatchObject({ sent: 1 });
    expect(outbox.emails.map((m) => (m as IdentifiedEmailMessage).id)).toEqual(["ntf_proc_1"]);
    const stopped = /stopped (.*)\n/.exec(result!.stdout);
    expect(JSON.parse(stopped![1]!)).toMatchObject({ finished: false, unfinished: ["commerce.notifications.dispatch"], unreleased: [] });
  });
});
