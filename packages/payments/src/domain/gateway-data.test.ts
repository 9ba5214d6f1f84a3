import { describe, expect, it } from "vitest";
import { checkGatewayData, gatewayDataOf, GATEWAY_DATA_MAX_BYTES, GATEWAY_DATA_MAX_DEPTH } from "./gateway-data.js";

function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 1; i < depth; i++) v = { v };
  return { v };
}

describe("provider data", () => {
  it("keeps a plain JSON record as a deep copy, with prototype-named keys as ordinary keys", () => {
    const source = JSON.parse(
      '{"a":1,"b":[true,null,"x",{"c":-2.5}],"__proto__":{"x":1},"constructor":{"prototype":1},"hasOwnProperty":"s"}',
    );
    const kept = gatewayDataOf(source)!;
    expect(kept).toEqual(source);
    expect(kept).not.toBe(source);
    (source.b as unknown[]).push("later");
    expect(kept.b).toHaveLength(4);
    expect(Object.getPrototypeOf(kept)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(kept, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(gatewayDataOf(Object.assign(Object.create(null), { k: "v" }))).toEqual({ k: "v" });
  });

  it("refuses anything but plain JSON, and past the size and depth bounds", () => {
    const getter = Object.defineProperty({}, "g", { get: () => 1, enumerable: true });
    const sparse: unknown[] = [1];
    sparse[2] = 3;
    class Charge {
      id = "ch_1";
    }
    const refused: unknown[] = [
      null,
      "text",
      42,
      [1, 2],
      { d: new Date(0) },
      new Charge(),
      { f: () => 1 },
      { u: undefined },
      { n: Number.POSITIVE_INFINITY },
      { big: 10n },
      { [Symbol("s")]: 1 },
      getter,
      { sparse },
      { "k\u0000": 1 },
      { s: "a\u0000" },
      { big: "x".repeat(GATEWAY_DATA_MAX_BYTES) },
      nested(GATEWAY_DATA_MAX_DEPTH + 1),
    ];
    for (const value of refused) expect(checkGatewayData(value).ok).toBe(false);
    expect(checkGatewayData(nested(GATEWAY_DATA_MAX_DEPTH)).ok).toBe(true);
    expect(checkGatewayData({ big: "x".repeat(GATEWAY_DATA_MAX_BYTES - 20) }).ok).toBe(true);
    expect(gatewayDataOf(undefined)).toBeUndefined();
  });
});
