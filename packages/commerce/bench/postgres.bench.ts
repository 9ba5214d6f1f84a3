/**
 * Commerce on PostgreSQL (same server, same pool, same run as its baselines):
 * - checkouts per second of a three-line cart (fill 3 lines with one `carts.addItems` + checkout:
 *   reserve, order, charge on the in-process test port, commit stock, clear the cart) from 8
 *   concurrent clients, against core's TPC-B-like transaction (3 updates, 1 select, 1 insert) from
 *   8 clients; also each client with its own items, the checkout alone (carts filled before each
 *   round, outside the timed region) and the cart filled line by line (3 `carts.addItem`);
 * - product search p50/p99 over 100,000 products (bulk-loaded with INSERT ... SELECT
 *   generate_series), GIN tsvector vs a sequential LIKE scan of the same folded text.
 * Statements, round trips and transactions of each operation are printed too.
 * The server is a throwaway one (fsync off) unless DATABASE_URL is set.
 * Run: corepack pnpm exec vitest bench --run packages/commerce/bench/postgres.bench.ts
 * (BENCH_TRACE=1 also prints every statement of one fill + checkout.)
 */
import { afterAll, bench, describe } from "vitest";
import {
  countingPool,
  createIsolatedDatabase,
  measureThroughput,
  startPostgresServer,
  summarizeLatencies,
  tpcbBaseline,
  type IsolatedDatabase,
  type PostgresServer,
  type QueryCounts,
} from "@platform/core/testing";
import { ANONYMOUS_ACTOR } from "@platform/core";
import { ADMIN_ACTOR, createECommercePlatform, foldText, testPaymentPort, type Actor } from "../src/index.js";
import { migrateCommerce, PostgresCommerceStore } from "../src/adapters/postgres/index.js";
import { ADJ, BRAND, COLOUR, COMMON, NOUN, WORDS } from "./catalog-vocabulary.js";

const CLIENTS = 8;
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 4000);
const N = Number(process.env.BENCH_PRODUCTS ?? 100_000);

let server: PostgresServer | undefined;
let isolated: IsolatedDatabase | undefined;
// Registered before anything starts, at the top level (a describe's afterAll never runs when the
// module fails before its bench): the run stops its throwaway server whatever happens.
async function cleanUp(): Promise<void> {
  await isolated?.drop().catch(() => undefined);
  isolated = undefined;
  await server?.stop();
  server = undefined;
}
afterAll(cleanUp);
const db = await (async () => {
  try {
    const adminUrl = process.env.DATABASE_URL ?? (server = await startPostgresServer()).url;
    isolated = await createIsolatedDatabase(adminUrl, { prefix: "commerce_bench", max: CLIENTS + 2 });
    await migrateCommerce(isolated.pool);
    return { pool: countingPool(isolated.pool) };
  } catch (error) {
    await cleanUp();
    throw error;
  }
})();
const store = new PostgresCommerceStore(db.pool);
const platform = createECommercePlatform({ store, payments: testPaymentPort(), passwordHashing: { N: 1024 } });
// The same shop with its confirmations left queued for a worker (not sent by this process), to show
// what sending them in process costs the checkouts.
const quiet = createECommercePlatform({
  store: new PostgresCommerceStore(db.pool),
  payments: testPaymentPort(),
  passwordHashing: { N: 1024 },
  notifications: { sendInProcess: false },
});
const f = (n: number) => n.toFixed(2).padStart(8);

const QUERIES = [
  "wireless mouse",
  "Creme brulee",
  "LOGITECH keyboard",
  "silent graphite",
  "portable speaker bluetooth",
  "gaming chair",
  "steel kettle",
  "ultra laptop",
  "vintage lamp",
  "smart watch",
  "kalomi",
  "waterproof jacket patagonia",
];
const ROUNDS = 4;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function measureRatio(
  op: (client: number) => Promise<unknown>,
  baselines: number[],
  beforeRound?: (round: number) => Promise<void>,
): Promise<{ ratio: number; rates: number[] }> {
  const ratios: number[] = [];
  const rates: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    await beforeRound?.(r); // outside the timed region
    const base = await tpcbBaseline(db.pool, { clients: CLIENTS, durationMs: DURATION_MS / ROUNDS });
    const rate = await measureThroughput(op, { clients: CLIENTS, durationMs: DURATION_MS / ROUNDS });
    baselines.push(base);
    rates.push(rate);
    ratios.push(rate / base);
  }
  return { ratio: median(ratios), rates };
}
// Everything the module does before its benches stops the server when it fails.
let checkoutThreeLines: (who: number) => Promise<void>;
try {
  // ---------- checkout vs TPC-B ----------
  const items = await Promise.all(
    ["A", "B", "C"].map((s, i) =>
      platform.products.create(ADMIN_ACTOR, {
        sku: `BENCH-${s}`,
        name: `Bench item ${s}`,
        price: { amount: `${10 + i}.99`, currency: "USD" },
        initialStock: 1_000_000,
      }),
    ),
  );
  // Customers are registered directly (no login: the actor of a signed-in customer is its id).
  let registered = 0;
  const newShopper = async (): Promise<Actor> => {
    const n = registered++;
    const c = await platform.users.register(ANONYMOUS_ACTOR, {
      email: `bench${n}@example.com`,
      password: "bench-passw0rd",
      name: `Bench ${n}`,
    });
    return { id: c.id, roles: ["customer"] };
  };
  const shoppers: Actor[] = [];
  for (let i = 0; i < CLIENTS; i++) shoppers.push(await newShopper());
  let key = 0;
  const fill = (who: Actor, lines: typeof items) =>
    platform.carts.addItems(who, { items: lines.map((it, i) => ({ productId: it.id, quantity: i + 1 })) });
  const checkout = (who: Actor) => platform.orders.checkout(who, { idempotencyKey: `bench-checkout-${key++}` });
  // The issue's operation: a three-line cart filled (one addItems call) and checked out.
  checkoutThreeLines = async (who: number): Promise<void> => {
    await fill(shoppers[who]!, items);
    await checkout(shoppers[who]!);
  };
  // The same, filled line by line (3 addItem calls), as before addItems.
  const checkoutLineByLine = async (who: number): Promise<void> => {
    for (const [i, it] of items.entries()) await platform.carts.addItem(shoppers[who]!, { productId: it.id, quantity: i + 1 });
    await checkout(shoppers[who]!);
  };
  // The same cart on every client contends for 3 stock rows (held from reserve to commit); the
  // spread variant gives each client its own 3 products.
  const own: (typeof items)[] = [];
  for (let c = 0; c < CLIENTS; c++) {
    own.push(
      await Promise.all(
        ["A", "B", "C"].map((s, i) =>
          platform.products.create(ADMIN_ACTOR, {
            sku: `OWN-${c}-${s}`,
            name: `Own item ${c} ${s}`,
            price: { amount: `${10 + i}.99`, currency: "USD" },
            initialStock: 1_000_000,
          }),
        ),
      ),
    );
  }
  async function checkoutOwnLines(who: number): Promise<void> {
    await fill(shoppers[who]!, own[who]!);
    await checkout(shoppers[who]!);
  }
  await checkoutThreeLines(0); // warm up: connections, plans
  await checkoutLineByLine(0);
  await platform.notifications.flush();
  // Statements per operation, counted on one operation running alone (the TPC-B-like transaction:
  // 7 round trips, BEGIN and COMMIT included, in 1 transaction). Every paid checkout also queues its
  // confirmation, which this process then sends (claim, mark sent): counted apart, after the operation.
  const count = async (op: () => Promise<unknown>) => {
    const counts = await db.pool.measure(op);
    const dispatch = await db.pool.measure(() => platform.notifications.flush());
    return { counts, dispatch };
  };
  if (process.env.BENCH_TRACE) db.pool.trace = (text) => console.log(`  | ${text.replace(/\s+/g, " ").slice(0, 160)}`);
  const perCheckout = await count(() => checkoutThreeLines(0));
  db.pool.trace = undefined;
  const perFill = await count(() => fill(shoppers[0]!, items));
  const perCheckoutAlone = await count(() => checkout(shoppers[0]!));
  const perLineByLine = await count(() => checkoutLineByLine(0));
  const per = (c: QueryCounts) => `${c.statements} statements, ${c.roundTrips} round trips, ${c.transactions} transactions`;
  // The machine is shared: baseline and checkouts alternate in short rounds, and each ratio is the
  // median of its rounds' ratios, so a burst of someone else's load skews one round, not the figure.
  const baselines: number[] = [];
  const same = await measureRatio((c) => checkoutThreeLines(c), baselines);
  const own3 = await measureRatio((c) => checkoutOwnLines(c), baselines);
  const lineByLine = await measureRatio((c) => checkoutLineByLine(c), baselines);
  const unsent = await measureRatio(async (c) => {
    await quiet.carts.addItems(shoppers[c]!, { items: items.map((it, i) => ({ productId: it.id, quantity: i + 1 })) });
    await quiet.orders.checkout(shoppers[c]!, { idempotencyKey: `bench-quiet-${key++}` });
  }, baselines);
  // Checkout alone: each client checks out a queue of carts filled before the round (a customer has
  // one cart, so one customer per queued cart), sized from the fill + checkout rate.
  const roundSeconds = DURATION_MS / ROUNDS / 1000;
  const perClient = Math.ceil((6 * Math.max(...same.rates) * roundSeconds) / CLIENTS) + 20;
  const queues: Actor[][] = Array.from({ length: CLIENTS }, () => []);
  const idle: Actor[] = [];
  let dry = 0;
  const alone = await measureRatio(
    async (c) => {
      const who = queues[c]!.pop();
      if (!who) {
        dry++;
        return;
      }
      await checkout(who);
      idle.push(who);
    },
    baselines,
    async () => {
      await platform.notifications.flush();
      for (const q of queues) {
        while (q.length < perClient) {
          const who = idle.pop() ?? (await newShopper());
          await fill(who, items);
          q.push(who);
        }
      }
    },
  );
  if (dry > 0) throw new Error(`the checkout-alone queues ran dry ${dry} times: raise their size`);
  await platform.notifications.flush();
  const tpcb = median(baselines);
  const checkouts = median(same.rates);
  const spread = median(own3.rates);

  // ---------- search over N products ----------

  const t0 = performance.now();
  // Bulk load the usual way: build the GIN index once after the rows are in.
  await db.pool.query("DROP INDEX commerce_products_search");
  const pick = (arr: number, salt: number) => `($${arr}::text[])[1 + abs(hashint4(g.i * 131 + ${salt})) % cardinality($${arr}::text[])]`;
  // One statement builds the rows (name, description, attributes text, price) for every i, a
  // second derives the search vectors, then attributes, SKUs and stock in bulk.
  await db.pool.query(
    `CREATE TABLE bench_gen AS
     SELECT g.i, 'prod_bench' || lpad(g.i::text, 8, '0') AS id,
            ${pick(1, 1)} || ' ' || ${pick(2, 2)} || ' ' || ${pick(2, 3)} || ' ' || ${pick(3, 4)} || ' ' || g.i AS name,
            array_to_string(ARRAY(SELECT ($5::text[])[1 + abs(hashint4(g.i * 17 + j)) % cardinality($5::text[])] FROM generate_series(1, 8) j), ' ')
              || ' ' || ${pick(6, 5)} || ' ' || ${pick(6, 6)} AS description,
            ${pick(1, 7)} AS brand, ${pick(4, 8)} AS colour,
            100 + abs(hashint4(g.i * 7 + 9)) % 100000 AS price_minor
       FROM generate_series(1, $7::int) AS g(i)`,
    [BRAND, ADJ, NOUN, COLOUR, WORDS, COMMON, N],
  );
  await db.pool.query(
    `INSERT INTO products (id, sku, name, description, price, currency, price_minor, status, created_at, updated_at, version, search)
     SELECT id, 'GEN-' || i, name, description, round(price_minor / 100.0, 2), 'USD', price_minor, 'active',
            timestamptz '2026-01-01' + i * interval '1 second', timestamptz '2026-01-01', 1,
            setweight(to_tsvector('simple', commerce_fold(name)), 'A') || setweight(to_tsvector('simple', commerce_fold(description)), 'B')
            || setweight(to_tsvector('simple', commerce_fold('GEN-' || i)), 'B') || setweight(to_tsvector('simple', commerce_fold('brand ' || brand || ' colour ' || colour)), 'C')
       FROM bench_gen`,
  );
  await db.pool.query(
    `INSERT INTO product_attributes (product_id, attribute_name, attribute_value) SELECT id, 'brand', brand FROM bench_gen UNION ALL SELECT id, 'colour', colour FROM bench_gen`,
  );
  await db.pool.query(`INSERT INTO commerce_skus (sku, product_id) SELECT 'GEN-' || i, id FROM bench_gen`);
  await db.pool.query(
    `INSERT INTO commerce_stock_levels (key, product_id, on_hand, received, updated_at) SELECT id, id, i % 3, i % 3, now() FROM bench_gen`,
  );
  await db.pool.query("CREATE INDEX commerce_products_search ON products USING gin (search)");
  await db.pool.query("DROP TABLE bench_gen");
  await db.pool.query("ANALYZE");
  const loadMs = performance.now() - t0;

  const indexSamples: number[] = [];
  const scanSamples: number[] = [];
  for (let round = 0; round < 20; round++) {
    for (const q of QUERIES) {
      let s = performance.now();
      await platform.products.search(ANONYMOUS_ACTOR, { text: q, limit: 20 });
      indexSamples.push(performance.now() - s);
      if (round % 4 !== 0) continue; // the scan is slow: sample it on every fourth round
      // Baseline: the same folded terms matched by a sequential LIKE scan of name + description.
      const terms = foldText(q).split(/\s+/).filter(Boolean);
      s = performance.now();
      await db.pool.query(
        `SELECT id FROM products WHERE status = 'active' AND ${terms.map((_, i) => `commerce_fold(name || ' ' || description) LIKE $${i + 1}`).join(" AND ")} ORDER BY id LIMIT 20`,
        terms.map((t) => `%${t}%`),
      );
      scanSamples.push(performance.now() - s);
    }
  }
  const filteredSamples: number[] = [];
  const browseSamples: number[] = [];
  for (let i = 0; i < 60; i++) {
    let s = performance.now();
    await platform.products.search(ANONYMOUS_ACTOR, {
      text: QUERIES[i % QUERIES.length]!,
      inStockOnly: true,
      maxPrice: { amount: "500", currency: "USD" },
      attributes: { colour: "Black" },
      sort: "price_asc",
      limit: 20,
    });
    filteredSamples.push(performance.now() - s);
    s = performance.now();
    await platform.products.search(ANONYMOUS_ACTOR, { sort: i % 2 === 0 ? "price_asc" : "newest", limit: 20 });
    browseSamples.push(performance.now() - s);
  }
  const idx = summarizeLatencies(indexSamples);
  const scan = summarizeLatencies(scanSamples);
  const filtered = summarizeLatencies(filteredSamples);
  const browse = summarizeLatencies(browseSamples);

  console.log(
    [
      ``,
      `[commerce pg bench] ${CLIENTS} concurrent clients, ${ROUNDS} alternating rounds of ${DURATION_MS / ROUNDS} ms, same pool and server (medians):`,
      `  TPC-B-like baseline:                  ${tpcb.toFixed(0)} tx/s`,
      `  three-line cart (fill + checkout):    ${checkouts.toFixed(0)} checkouts/s  (ratio ${same.ratio.toFixed(3)} of baseline; all clients buy the same 3 items)`,
      `    per fill (addItems) + checkout: ${per(perCheckout.counts)}; the confirmation's dispatch after it: ${per(perCheckout.dispatch)}`,
      `    the fill alone: ${per(perFill.counts)}; the checkout alone: ${per(perCheckoutAlone.counts)}`,
      `  same, each client its own 3 items:    ${spread.toFixed(0)} checkouts/s  (ratio ${own3.ratio.toFixed(3)} of baseline)`,
      `  checkout alone, carts filled before:  ${median(alone.rates).toFixed(0)} checkouts/s  (ratio ${alone.ratio.toFixed(3)} of baseline; same 3 items, ${perClient} carts queued per client per round)`,
      `  filled line by line (3 addItem):      ${median(lineByLine.rates).toFixed(0)} checkouts/s  (ratio ${lineByLine.ratio.toFixed(3)} of baseline)`,
      `  fill + checkout, confirmations left to a worker: ${median(unsent.rates).toFixed(0)} checkouts/s  (ratio ${unsent.ratio.toFixed(3)} of baseline)`,
      `    per 3 addItem + checkout: ${per(perLineByLine.counts)}`,
      `[commerce pg bench] ${N} products bulk-loaded (INSERT ... SELECT generate_series) in ${(loadMs / 1000).toFixed(1)} s`,
      `  text search, GIN tsvector (ms):       p50 ${f(idx.p50)}  p90 ${f(idx.p90)}  p99 ${f(idx.p99)}  (${idx.count} queries)`,
      `  baseline: sequential LIKE scan (ms):  p50 ${f(scan.p50)}  p90 ${f(scan.p90)}  p99 ${f(scan.p99)}  (${scan.count} queries)`,
      `  index speed-up: x${(scan.p50 / idx.p50).toFixed(1)} at p50, x${(scan.p99 / idx.p99).toFixed(1)} at p99`,
      `  text + in stock + price + attribute, price order (ms): p50 ${f(filtered.p50)}  p99 ${f(filtered.p99)}`,
      `  browse without text, price/newest page of 20 (ms):     p50 ${f(browse.p50)}  p99 ${f(browse.p99)}`,
      ``,
    ].join("\n"),
  );
} catch (error) {
  await cleanUp();
  throw error;
}

describe("commerce on PostgreSQL (one client)", () => {
  let q = 0;
  bench(
    "search over the bulk-loaded catalog (GIN tsvector)",
    async () => {
      await platform.products.search(ANONYMOUS_ACTOR, { text: QUERIES[q++ % QUERIES.length]!, limit: 20 });
    },
    { time: 1000 },
  );
  bench("three-line cart: fill (addItems) + checkout", () => checkoutThreeLines(0), { time: 1000 });
});
