import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CORE_ERROR_CODES } from "@platform/core";
import { checkErrorCodeDocs, undeclaredErrorCodes } from "@platform/core/testing";
import { COMMERCE_ERROR_CODES, commerceCodes } from "../src/index.js";

const src = fileURLToPath(new URL("../src", import.meta.url));
const docs = fileURLToPath(new URL("../../../docs/commerce.md", import.meta.url));

describe("commerce error codes", () => {
  it("every literal code thrown by commerce is in CORE_ERROR_CODES or COMMERCE_ERROR_CODES", () => {
    expect(undeclaredErrorCodes(src, [CORE_ERROR_CODES, COMMERCE_ERROR_CODES])).toEqual([]);
  });

  it("docs/commerce.md lists every code of COMMERCE_ERROR_CODES (corepack pnpm docs:codes rewrites it)", () => {
    expect(checkErrorCodeDocs(docs, "commerce", COMMERCE_ERROR_CODES, process.env.WRITE_ERROR_CODE_DOCS === "1")).toBeNull();
  });

  it("repeats none of core's codes, and maps each code to itself", () => {
    expect(Object.keys(COMMERCE_ERROR_CODES).filter((c) => c in CORE_ERROR_CODES)).toEqual([]);
    expect(commerceCodes.order_not_found).toBe("order_not_found");
  });
});
