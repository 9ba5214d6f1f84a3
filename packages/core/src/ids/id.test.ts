import { describe, expect, it } from "vitest";
import { createId, isId } from "./id.js";

describe("createId", () => {
  it("makes prefixed random ids that never repeat", () => {
    const ids = new Set(Array.from({ length: 20_000 }, () => createId("ord")));
    expect(ids.size).toBe(20_000);
    for (const id of [...ids].slice(0, 10)) expect(isId(id, "ord")).toBe(true);
  });

  it("checks prefix and shape", () => {
    const id = createId("usr");
    expect(isId(id, "ord")).toBe(false);
    expect(isId(`${id}x`, "usr")).toBe(false);
    expect(isId("usr_1234", "usr")).toBe(false);
    expect(isId(42, "usr")).toBe(false);
    expect(() => createId("Bad-Prefix")).toThrow(TypeError);
  });
});
