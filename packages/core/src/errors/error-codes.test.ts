import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkErrorCodeDocs, undeclaredErrorCodes } from "../testing/error-code-check.js";
import { CORE_ERROR_CODES } from "./core-error-codes.js";
import { defineErrorCodes } from "./error-codes.js";

const src = fileURLToPath(new URL("..", import.meta.url));
const docs = fileURLToPath(new URL("../../../../docs/core.md", import.meta.url));

describe("core error codes", () => {
  it("every literal code thrown by core is in CORE_ERROR_CODES", () => {
    expect(undeclaredErrorCodes(src, [CORE_ERROR_CODES])).toEqual([]);
  });

  it("docs/core.md lists every code of CORE_ERROR_CODES (corepack pnpm docs:codes rewrites it)", () => {
    expect(checkErrorCodeDocs(docs, "core", CORE_ERROR_CODES, process.env.WRITE_ERROR_CODE_DOCS === "1")).toBeNull();
  });

  it("defineErrorCodes maps each code to itself and refuses one that is not snake_case", () => {
    const codes = defineErrorCodes({ order_not_found: { kind: "not_found", description: "x" } });
    expect(codes.order_not_found).toBe("order_not_found");
    expect(() => defineErrorCodes({ "Bad-Code": { kind: "validation", description: "x" } })).toThrow(TypeError);
  });
});
