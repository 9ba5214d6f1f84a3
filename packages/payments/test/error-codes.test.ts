import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CORE_ERROR_CODES } from "@platform/core";
import { checkErrorCodeDocs, undeclaredErrorCodes } from "@platform/core/testing";
import { PAYMENTS_ERROR_CODES, paymentsCodes } from "../src/index.js";

const src = fileURLToPath(new URL("../src", import.meta.url));
const docs = fileURLToPath(new URL("../../../docs/payments.md", import.meta.url));

describe("payments error codes", () => {
  it("every literal code thrown by payments is in CORE_ERROR_CODES or PAYMENTS_ERROR_CODES", () => {
    expect(undeclaredErrorCodes(src, [CORE_ERROR_CODES, PAYMENTS_ERROR_CODES])).toEqual([]);
  });

  it("docs/payments.md lists every code of PAYMENTS_ERROR_CODES (corepack pnpm docs:codes rewrites it)", () => {
    expect(checkErrorCodeDocs(docs, "payments", PAYMENTS_ERROR_CODES, process.env.WRITE_ERROR_CODE_DOCS === "1")).toBeNull();
  });

  it("repeats none of core's codes, and its constants are its codes", () => {
    expect(Object.keys(PAYMENTS_ERROR_CODES).filter((c) => c in CORE_ERROR_CODES)).toEqual([]);
    expect(paymentsCodes.payment_not_found).toBe("payment_not_found");
  });
});
