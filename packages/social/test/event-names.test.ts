import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { eventNamesInSource, eventNameViolations } from "@platform/core/testing";

// SocialEventMap exists only as a type: its names are read from its source.
const names = eventNamesInSource(readFileSync(new URL("../src/domain/events.ts", import.meta.url), "utf8"));

describe("social event names", () => {
  it("every event of SocialEventMap is <aggregate>.<past_tense>, American spelling", () => {
    expect(names.length).toBeGreaterThan(20);
    expect(eventNameViolations(names)).toEqual([]);
  });
});
