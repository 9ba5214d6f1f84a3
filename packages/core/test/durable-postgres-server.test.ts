import { afterAll, describe, expect, it } from "vitest";
import pg from "pg";
import { startDurablePostgresServer, type DurablePostgresServer } from "@platform/core/testing";

let server: DurablePostgresServer | undefined;
afterAll(() => server?.stop());

describe("startDurablePostgresServer", () => {
  it("keeps acknowledged commits through an immediate shutdown and restarts on the same data folder and port", async () => {
    server = await startDurablePostgresServer();
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const settings = await client.query<{ name: string; setting: string }>(
      "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit') ORDER BY name",
    );
    expect(settings.rows).toEqual([
      { name: "fsync", setting: "on" },
      { name: "synchronous_commit", setting: "on" },
    ]);
    await client.query("CREATE TABLE crash_probe (n int)");
    await client.query("INSERT INTO crash_probe SELECT generate_series(1, 1000)");
    client.on("error", () => undefined);
    await server.crash();
    // The open connection was cut off: the server is really gone.
    await expect(client.query("SELECT 1")).rejects.toThrow();
    await server.restart();
    const again = new pg.Client({ connectionString: server.url });
    await again.connect();
    expect((await again.query<{ n: number }>("SELECT count(*)::int AS n FROM crash_probe")).rows[0]!.n).toBe(1000);
    await again.end();
  });
});
