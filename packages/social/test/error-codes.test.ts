import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CORE_ERROR_CODES } from "@platform/core";
import { checkErrorCodeDocs, undeclaredErrorCodes } from "@platform/core/testing";
import { SOCIAL_ERROR_CODES } from "../src/index.js";

const src = fileURLToPath(new URL("../src", import.meta.url));
const docs = fileURLToPath(new URL("../../../docs/social.md", import.meta.url));

describe("social error codes", () => {
  it("every literal code thrown by social is in CORE_ERROR_CODES or SOCIAL_ERROR_CODES", () => {
    expect(undeclaredErrorCodes(src, [CORE_ERROR_CODES, SOCIAL_ERROR_CODES])).toEqual([]);
  });

  it("docs/social.md lists every code of SOCIAL_ERROR_CODES (corepack pnpm docs:codes rewrites it)", () => {
    expect(checkErrorCodeDocs(docs, "social", SOCIAL_ERROR_CODES, process.env.WRITE_ERROR_CODE_DOCS === "1")).toBeNull();
  });

  it("repeats none of core's codes", () => {
    expect(Object.keys(SOCIAL_ERROR_CODES).filter((c) => c in CORE_ERROR_CODES)).toEqual([]);
  });
});
