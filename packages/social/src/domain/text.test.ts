import { describe, expect, it } from "vitest";
import { codePointLength, extractHashtags, extractMentions } from "./text.js";

describe("text entities", () => {
  it("extracts Unicode hashtags, normalised and de-duplicated", () => {
    expect(extractHashtags("Hi #Café #CAFÉ #日本語 #naïve_art #42 #coding, #golang!")).toEqual([
      "café",
      "日本語",
      "naïve_art",
      "coding",
      "golang",
    ]);
    expect(extractHashtags("a#b c&#39; https://x.org/#anchor")).toEqual([]);
    expect(extractHashtags("#ｆｕｌｌ")).toEqual(["full"]);
  });
  it("extracts mentions but not e-mails or remote handles", () => {
    expect(extractMentions("@Jane_Smith hi @bob, mail me@example.com or @alice@remote.social; @jane_smith")).toEqual(["jane_smith", "bob"]);
    expect(extractMentions("(@john_doe)")).toEqual(["john_doe"]);
  });
  it("counts code points", () => {
    expect(codePointLength("🌅ab")).toBe(3);
  });
});
