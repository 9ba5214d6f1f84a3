import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";
import { extractBlocks } from "../../../scripts/docs-check/extract.mjs";

// Runs the code of docs/guides/start-a-shop.md as written (its blocks form one program), so the
// guide stays true: the checker only type-checks it. The values the guide's comments promise
// are read back from what it logs.
const root = fileURLToPath(new URL("../../../", import.meta.url));
const dir = join(root, ".docs-run");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("docs/guides/start-a-shop.md", () => {
  it("runs as written and prints what its comments say", async () => {
    const blocks = extractBlocks(readFileSync(join(root, "docs/guides/start-a-shop.md"), "utf8"), "start-a-shop.md").filter((b) => b.lang === "ts" && !b.flags.includes("fragment"));
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    expect(blocks.slice(1).every((b) => b.flags.includes("continued"))).toBe(true); // one program
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `start-a-shop-${process.pid}.ts`);
    writeFileSync(file, `${blocks.map((b) => b.code).join("\n")}\nexport { shop, order, payments, outbox };\n`);

    const logged: unknown[][] = [];
    const log = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void logged.push(args));
    let guide: Record<string, any>;
    try {
      guide = await import(/* @vite-ignore */ file);
    } finally {
      log.mockRestore();
    }
    expect(guide.order.status).toBe("paid");
    expect(guide.payments.charges).toHaveLength(1);
    expect(logged).toContainEqual([["LAPTOP001"]]);
    expect(logged).toContainEqual(["paid", guide.order.id]);
    expect(logged).toContainEqual(["paid", true, 1]);
    expect(logged).toContainEqual([["order_confirmation", "order_shipped"]]);
    expect(logged).toContainEqual(["declined:", "card_declined", 402]);
    expect(logged.at(-1)).toEqual([9]);
    expect(guide.outbox.emails).toHaveLength(2);
  });
});
