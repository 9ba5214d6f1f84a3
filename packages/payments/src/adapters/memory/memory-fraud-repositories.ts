import { paginate, type CursorCodec, type MemoryTable } from "@platform/core";
import { FRAUD_ACTIONS, type FraudRule } from "../../domain/fraud-rule.js";
import { signalsNeeded, velocityParts, type FraudSignalQuery, type FraudSignals } from "../../domain/fraud-signals.js";
import type {
  FraudListRepository,
  FraudRuleRepository,
  FraudSignalRepository,
  PageQuery,
  PaymentRepository,
} from "../../ports/payment-store.js";

/** Fraud rules (few: read whole, sorted by position). */
export class MemoryFraudRuleRepository implements FraudRuleRepository {
  constructor(
    private readonly table: MemoryTable<FraudRule>,
    private readonly codec: CursorCodec,
  ) {}
  async list() {
    return [...this.table.values()].sort((a, b) => a.position - b.position);
  }
  async page(page: PageQuery) {
    return paginate([...this.table.values()], page, {
      kind: "fraud.rules",
      key: (r) => [r.position, r.id],
      direction: "asc",
      codec: this.codec,
    });
  }
  async get(id: string) {
    return this.table.get(id) ?? null;
  }
  async insert(rule: FraudRule) {
    this.table.insert(rule);
  }
  async update(rule: FraudRule) {
    this.table.put(rule);
  }
  async delete(id: string) {
    return this.table.delete(id);
  }
  async nextPosition() {
    let max = 0;
    for (const r of this.table.values()) max = Math.max(max, r.position);
    return max + 1;
  }
}

/** One member of a named list. */
export interface ListEntry {
  list: string;
  value: string;
  addedAt: Date;
}

/** Named lists keyed by list + lower-cased value. */
export class MemoryFraudListRepository implements FraudListRepository {
  constructor(
    private readonly table: MemoryTable<ListEntry, never, "list">,
    private readonly codec: CursorCodec,
  ) {}
  async add(list: string, value: string, now: Date) {
    const id = `${list}\u0000${value.toLowerCase()}`;
    if (!this.table.has(id)) this.table.insert({ list, value: value.toLowerCase(), addedAt: now });
  }
  async remove(list: string, value: string) {
    return this.table.delete(`${list}\u0000${value.toLowerCase()}`);
  }
  async findMembers(list: string, values: readonly string[]) {
    return values.filter((v) => this.table.has(`${list}\u0000${v.toLowerCase()}`));
  }
  async values(list: string, page: PageQuery) {
    const p = paginate(this.table.findBy("list", list), page, {
      kind: `fraud.list.${list}`,
      key: (e) => [e.value, e.value],
      direction: "asc",
      codec: this.codec,
    });
    return { items: p.items.map((e) => e.value), nextCursor: p.nextCursor };
  }
}

/** The fraud engine's reads, made of the other repositories' (the same answers as the SQL statement). */
export class MemoryFraudSignalRepository implements FraudSignalRepository {
  constructor(
    private readonly rules: FraudRuleRepository,
    private readonly lists: FraudListRepository,
    private readonly payments: PaymentRepository,
  ) {}
  async read(query: FraudSignalQuery): Promise<FraudSignals> {
    const rules = await this.rules.list();
    const { fields, lookups } = signalsNeeded(rules, query);
    const velocity: FraudSignals["velocity"] = {};
    for (const field of fields) {
      const { dimension, window } = velocityParts(field);
      const value = query.identities[dimension];
      velocity[field] = value ? await this.payments.countSince(dimension, value, query.since[window]) : 0;
    }
    const hitLists: FraudSignals["hitLists"] = [];
    for (const action of FRAUD_ACTIONS) if ((await this.lists.findMembers(action, query.listKeys)).length > 0) hitLists.push(action);
    const members: FraudSignals["members"] = [];
    for (const [list, value] of lookups) if ((await this.lists.findMembers(list, [value])).length > 0) members.push([list, value]);
    return { rules, velocity, hitLists, members };
  }
}
