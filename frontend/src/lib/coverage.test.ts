import { describe, expect, it } from "vitest";

import { directionWords, sparseNote, yearWords } from "./coverage";

describe("directionWords", () => {
  it("says which way is better", () => {
    expect(directionWords("higher_is_better")).toBe("Higher is better");
    expect(directionWords("lower_is_better")).toBe("Lower is better");
  });
});

describe("yearWords", () => {
  it("says how many areas report, and the UK", () => {
    expect(yearWords({ year: 2023, areas: 7, national: true, sparse: false }, 7)).toBe("2023: 7 of 7 areas and the UK");
    expect(yearWords({ year: 2022, areas: 5, national: false, sparse: false }, 8, "authorities")).toBe("2022: 5 of 8 authorities");
  });

  it("flags a sparse year in words", () => {
    expect(yearWords({ year: 2021, areas: 2, national: false, sparse: true }, 7)).toBe("2021: only 2 of 7 areas report: sparse");
    expect(yearWords({ year: 2024, areas: 1, national: false, sparse: true }, 8, "authorities")).toBe("2024: only 1 of 8 authorities reports: sparse");
    expect(yearWords({ year: 2024, areas: 1, national: true, sparse: true }, 12, "regions")).toBe("2024: only 1 of 12 regions and the UK report: sparse");
  });
});

describe("sparseNote", () => {
  const years = [
    { year: 2021, areas: 4, national: false, sparse: false },
    { year: 2024, areas: 1, national: false, sparse: true },
  ];

  it("notes a sparse year shown", () => {
    expect(sparseNote({ period: 2024, sparse: true, years, group_size: 8, items: [] }, "authorities")).toBe(
      "2024 is a sparse year: only 1 of 8 authorities reports, so the ranking compares few of them.",
    );
  });

  it("says nothing of a year fully enough reported, or of no year at all", () => {
    expect(sparseNote({ period: 2021, sparse: false, years, group_size: 8, items: [] })).toBe("");
    expect(sparseNote({ period: null, sparse: true, years: [], group_size: 8, items: [] })).toBe("");
  });
});
