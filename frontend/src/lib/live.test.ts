import { describe, expect, it } from "vitest";

import { comparedWords, matchWords } from "./live";

describe("matchWords", () => {
  it("counts in words, and says when there is none", () => {
    expect(matchWords(0, "organisation")).toBe("No organisation matches.");
    expect(matchWords(1, "story", "stories")).toBe("1 story matches.");
    expect(matchWords(23, "organisation")).toBe("23 organisations match.");
    expect(matchWords(25, "scheme", "schemes", true)).toBe("25 schemes match on this page; more on the next.");
  });
});

describe("comparedWords", () => {
  const answer = (n: number, period: number | null, breakdown: Record<string, string> = {}) => ({
    items: Array.from({ length: n }, () => ({}) as never),
    period,
    breakdown,
  });
  it("says what the map and the chart show, and for when", () => {
    expect(comparedWords("Full fibre", answer(7, 2024), answer(1, 2023))).toBe("Full fibre: figures for 7 authorities in 2024 and 1 UK region in 2023.");
    expect(comparedWords("Users", answer(1, null, { age: "65+" }), answer(0, null))).toBe("Users, age 65+: figures for 1 authority and 0 UK regions.");
  });
});
