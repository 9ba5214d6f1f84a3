import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf, makeSystem, usd, paymentStores } from "./helpers.js";
import { ADMIN } from "./helpers.js";

describe.each(paymentStores())("fraud rules on $name", (fixture) => {
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());
  it("holds an amount bound to its currency's scale and the digit limit, in text and structured form", async () => {
    const { system } = makeSystem({ store: fixture.make() });
    expect(await codeOf(() => system.fraud.addRule(ADMIN, { rule: "block if amount > 5.001 USD" }))).toBe("amount_precision");
    expect(await codeOf(() => system.fraud.addRule(ADMIN, { rule: `block if amount > 1${"0".repeat(400)} USD` }))).toBe("amount_too_large");
    expect(
      await codeOf(() =>
        system.fraud.addRule(ADMIN, {
          rule: {
            action: "block",
            conditions: [{ field: "amount", operator: ">", value: { kind: "money", amount: "1.5", currency: "JPY" } }],
          },
        }),
      ),
    ).toBe("amount_precision");
    expect((await system.fraud.listRules(ADMIN)).items.length).toBe(0);
    expect((await system.fraud.addRule(ADMIN, { rule: "block if amount > 5.00 USD" })).conditions).toHaveLength(1);
  });

  it("rule text is held to the structured form's limits, with the structured form's codes, and stores nothing", async () => {
    const { system } = makeSystem({ store: fixture.make() });
    const huge = "9".repeat(400); // Number(huge) is Infinity: JSON would store it as null
    const long = "x".repeat(501);
    const cases: [string, { action: "block"; conditions: unknown[] }][] = [
      [
        `review if risk_score > 0 and payments_per_customer_hourly > ${huge}`,
        {
          action: "block",
          conditions: [{ field: "payments_per_customer_hourly", operator: ">", value: { kind: "number", value: Number(huge) } }],
        },
      ],
      [
        `block if email == "${long}"`,
        { action: "block", conditions: [{ field: "email", operator: "==", value: { kind: "string", value: long } }] },
      ],
      [
        `block if country in ["US", "${long}"]`,
        { action: "block", conditions: [{ field: "country", operator: "in", value: { kind: "values", values: ["US", long] } }] },
      ],
      [
        `block if ${Array.from({ length: 21 }, (_, i) => `ip == "10.0.0.${i}"`).join(" and ")}`,
        {
          action: "block",
          conditions: Array.from({ length: 21 }, (_, i) => ({
            field: "ip",
            operator: "==",
            value: { kind: "string", value: `10.0.0.${i}` },
          })),
        },
      ],
    ];
    for (const [text, structured] of cases) {
      const code = await codeOf(() => system.fraud.addRule(ADMIN, { rule: structured as never }));
      expect(code).not.toBe("no_error");
      expect([text.slice(0, 40), await codeOf(() => system.fraud.addRule(ADMIN, { rule: text }))]).toEqual([text.slice(0, 40), code]);
    }
    expect((await system.fraud.listRules(ADMIN)).items).toEqual([]);
    // Text neither store could keep exactly: the same code in both forms, on both stores.
    for (const [bad, code] of [
      ["a\u0000b", "nul_character"],
      ["a\uD800b", "invalid_text"],
      ["\uDC00", "invalid_text"],
    ] as const) {
      const structured = {
        action: "block" as const,
        conditions: [{ field: "email", operator: "in" as const, value: { kind: "values" as const, values: ["ok", bad] } }],
      };
      expect(await codeOf(() => system.fraud.addRule(ADMIN, { rule: structured }))).toBe(code);
      expect(await codeOf(() => system.fraud.addRule(ADMIN, { rule: `block if email == ${JSON.stringify(bad)}` }))).toBe(code); // escaped: \u0000, \ud800
      expect(await codeOf(() => system.fraud.addRule(ADMIN, { rule: `block if email == "${bad}"` }))).toBe(code); // raw
    }
    expect((await system.fraud.listRules(ADMIN)).items).toEqual([]);
    // At the limits both forms are accepted.
    await system.fraud.addRule(ADMIN, {
      rule: `block if email == "${"x".repeat(500)}" and payments_per_customer_hourly > ${"9".repeat(300)}`,
    });
    expect((await system.fraud.listRules(ADMIN)).items).toHaveLength(1);
  });

  it("a text rule blocks before the gateway is called, and records the matched rule", async () => {
    const { system, gateway } = makeSystem({ store: fixture.make() });
    const rule = await system.fraud.addRule(ADMIN, { rule: "block if amount > 10000 USD" });
    const small = await system.payments.create(ADMIN, { amount: usd("10000"), paymentMethod: "pm_card_visa" });
    expect(small.status).toBe("succeeded");
    const big = await system.payments.create(ADMIN, { amount: usd("10000.01"), paymentMethod: "pm_card_visa" });
    expect(big.status).toBe("failed");
    expect(big.failure?.code).toBe("fraud_blocked");
    expect(big.fraud).toMatchObject({ outcome: "block", matchedRules: [rule.id] });
    expect(gateway.calls.authorize).toBe(1);
  });

  it("an amount rule needs its currency (text or structured) and never blocks another currency (¥5000)", async () => {
    const { system } = makeSystem({ store: fixture.make() });
    expect(await codeOf(() => system.fraud.addRule(ADMIN, { rule: "block if amount > 100" }))).toBe("invalid_rule");
    const structured = {
      action: "block" as const,
      conditions: [{ field: "amount", operator: ">" as const, value: { kind: "money" as const, amount: "100" } }],
    };
    expect(await codeOf(() => system.fraud.addRule(ADMIN, { rule: structured }))).toBe("invalid_rule");
    const asNumber = {
      action: "block" as const,
      conditions: [{ field: "amount", operator: ">" as const, value: { kind: "number" as const, value: 100 } }],
    };
    expect(await codeOf(() => system.fraud.addRule(ADMIN, { rule: asNumber }))).toBe("invalid_rule");
    expect((await system.fraud.listRules(ADMIN)).items).toEqual([]);
    await system.fraud.addRule(ADMIN, { rule: "block if amount > 100 USD" });
    const yen = await system.payments.create(ADMIN, { amount: { amount: "5000", currency: "JPY" }, paymentMethod: "pm_card_visa" });
    expect(yen.status).toBe("succeeded");
    expect((await system.payments.create(ADMIN, { amount: usd("100.01"), paymentMethod: "pm_card_visa" })).status).toBe("failed");
  });

  it("allow wins over block, block over review, whatever the insertion order", async () => {
    const { system } = makeSystem({ store: fixture.make() });
    await system.fraud.addRule(ADMIN, { rule: "review if amount > 100 USD" });
    await system.fraud.addRule(ADMIN, { rule: "block if amount > 100 USD" });
    const allow = await system.fraud.addRule(ADMIN, { rule: 'allow if email == "ceo@example.com"' });
    const blocked = await system.payments.create(ADMIN, {
      amount: usd("500"),
      paymentMethod: "pm_card_visa",
      customer: { email: "x@example.com" },
    });
    expect(blocked.fraud.outcome).toBe("block");
    const allowed = await system.payments.create(ADMIN, {
      amount: usd("500"),
      paymentMethod: "pm_card_visa",
      customer: { email: "CEO@example.com" },
    });
    expect(allowed.fraud).toMatchObject({ outcome: "allow", reason: `rule:${allow.id}` });
    expect(allowed.status).toBe("succeeded");
  });

  it("velocity: review after more than 2 payments per customer per hour; the window slides with the clock", async () => {
    const { system, clock } = makeSystem({ store: fixture.make() });
    await system.fraud.addRule(ADMIN, { rule: "review if payments_per_customer_hourly > 2" });
    const pay = () => system.payments.create(ADMIN, { amount: usd("5"), paymentMethod: "pm_card_visa", customer: { id: "cus_1" } });
    expect((await pay()).status).toBe("succeeded");
    expect((await pay()).status).toBe("succeeded");
    expect((await pay()).status).toBe("succeeded");
    const held = await pay();
    expect(held.status).toBe("created");
    expect(held.review?.status).toBe("pending");
    expect(held.fraud.outcome).toBe("review");
    clock.advance({ minutes: 61 });
    expect((await pay()).status).toBe("succeeded");
    // Another customer is not affected.
    expect(
      (await system.payments.create(ADMIN, { amount: usd("5"), paymentMethod: "pm_card_visa", customer: { id: "cus_2" } })).status,
    ).toBe("succeeded");
  });

  it("review holds the payment until approved (then charged) or rejected (then canceled)", async () => {
    const { system, gateway } = makeSystem({ store: fixture.make() });
    await system.fraud.addRule(ADMIN, { rule: "review if country in [NG, RU]" });
    const events: string[] = [];
    system.events.onAny((e) => events.push(e.type));
    const a = await system.payments.create(ADMIN, { amount: usd("20"), paymentMethod: "pm_card_visa", customer: { country: "ng" } });
    expect(a.status).toBe("created");
    expect(gateway.calls.authorize).toBe(0);
    const approved = await system.payments.approveReview(ADMIN, { paymentId: a.id });
    expect(approved.status).toBe("succeeded");
    expect(approved.review?.status).toBe("approved");
    expect(await codeOf(() => system.payments.approveReview(ADMIN, { paymentId: a.id }))).toBe("review_not_pending");
    const b = await system.payments.create(ADMIN, { amount: usd("20"), paymentMethod: "pm_card_visa", customer: { country: "RU" } });
    const rejected = await system.payments.rejectReview(ADMIN, { paymentId: b.id });
    expect(rejected.status).toBe("canceled");
    expect(rejected.cancellationReason).toBe("fraudulent");
    expect(events).toContain("payment.review_required");
    expect(gateway.calls.authorize).toBe(1);
  });

  it("built-in block list and custom lists referenced with @name", async () => {
    const { system } = makeSystem({ store: fixture.make() });
    await system.fraud.lists.add(ADMIN, { list: "block", type: "email", value: "Mallory@Evil.com" });
    const p = await system.payments.create(ADMIN, {
      amount: usd("5"),
      paymentMethod: "pm_card_visa",
      customer: { email: "mallory@evil.com" },
    });
    expect(p.fraud).toMatchObject({ outcome: "block", reason: "list:block" });
    await system.fraud.addRule(ADMIN, { rule: "review if ip in @suspicious_ips" });
    await system.fraud.lists.add(ADMIN, { list: "suspicious_ips", value: "203.0.113.9" });
    const q = await system.payments.create(ADMIN, { amount: usd("5"), paymentMethod: "pm_card_visa", customer: { ip: "203.0.113.9" } });
    expect(q.fraud.outcome).toBe("review");
    const r = await system.payments.create(ADMIN, { amount: usd("5"), paymentMethod: "pm_card_visa", customer: { ip: "203.0.113.10" } });
    expect(r.fraud.outcome).toBe("allow");
    expect(await codeOf(() => system.fraud.lists.add(ADMIN, { list: "block", value: "x" }))).toBe("validation_failed");
  });

  it("risk score thresholds decide when no rule matches", async () => {
    const { system } = makeSystem({ store: fixture.make(), fraud: { reviewThreshold: 60, blockThreshold: 95 } });
    // High amount (+30) and card country (US) differing from the customer's (+25) on top of base 5 = 60.
    const p = await system.payments.create(ADMIN, {
      amount: usd("6000"),
      paymentMethod: "pm_card_visa",
      customer: { id: "c", country: "FR" },
    });
    expect(p.fraud).toMatchObject({ outcome: "review", score: 60, reason: "score_threshold" });
    const q = await system.payments.create(ADMIN, {
      amount: usd("60"),
      paymentMethod: "pm_card_visa",
      customer: { id: "c2", country: "US" },
    });
    expect(q.fraud.outcome).toBe("allow");
    expect(q.fraud.score).toBeLessThan(60);
  });

  it("a rule keeps its description (text and structured form); a bad one is refused and stores nothing", async () => {
    const { system } = makeSystem({ store: fixture.make() });
    const text = await system.fraud.addRule(ADMIN, {
      rule: 'block if country in ["XX"]',
      description: "Sanctioned region: card networks refuse these anyway",
    });
    const structured = await system.fraud.addRule(ADMIN, {
      rule: {
        action: "review",
        conditions: [{ field: "risk_score", operator: ">", value: { kind: "number", value: 50 } }],
        description: "  Manual look above 50  ",
      },
    });
    const plain = await system.fraud.addRule(ADMIN, { rule: "review if payments_per_card_daily > 9" });
    expect(text.description).toBe("Sanctioned region: card networks refuse these anyway");
    expect(structured.description).toBe("Manual look above 50");
    expect(plain.description).toBeUndefined();
    const listed = (await system.fraud.listRules(ADMIN)).items;
    expect(listed.map((r) => r.description)).toEqual([text.description, structured.description, undefined]);
    const disabled = await system.fraud.setRuleEnabled(ADMIN, { ruleId: text.id, enabled: false });
    expect(disabled.description).toBe(text.description);
    expect((await system.fraud.listRules(ADMIN)).items[0]!.description).toBe(text.description);

    expect(await codeOf(() => system.fraud.addRule(ADMIN, { rule: "block if amount > 5 USD", description: "x".repeat(1001) }))).toBe(
      "validation_failed",
    );
    expect(
      await codeOf(() =>
        system.fraud.addRule(ADMIN, {
          rule: {
            action: "block",
            conditions: [{ field: "risk_score", operator: ">", value: { kind: "number", value: 1 } }],
            description: "a\u0000b",
          },
        }),
      ),
    ).toBe("nul_character");
    expect((await system.fraud.listRules(ADMIN)).items).toHaveLength(3);
  });

  it("disabled rules are ignored; malformed text is invalid_rule and stores nothing", async () => {
    const { system } = makeSystem({ store: fixture.make() });
    const rule = await system.fraud.addRule(ADMIN, {
      rule: { action: "block", conditions: [{ field: "currency", operator: "==", value: { kind: "string", value: "USD" } }] },
    });
    await system.fraud.setRuleEnabled(ADMIN, { ruleId: rule.id, enabled: false });
    expect((await system.payments.create(ADMIN, { amount: usd("5"), paymentMethod: "pm_card_visa" })).status).toBe("succeeded");
    expect(await codeOf(() => system.fraud.addRule(ADMIN, { rule: "block if amount >" }))).toBe("invalid_rule");
    expect((await system.fraud.listRules(ADMIN)).items).toHaveLength(1);
    expect(await codeOf(() => system.fraud.removeRule(ADMIN, { ruleId: "frr_nope" }))).toBe("rule_not_found");
  });
});
