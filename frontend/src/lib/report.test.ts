import { describe, expect, it } from "vitest";

import { latestFigure, longDate, today } from "./report";

describe("a report's dates", () => {
  it("says a date in words, as given", () => {
    expect(longDate("2026-12-02")).toBe("2 December 2026");
    expect(longDate("2021-01-15")).toBe("15 January 2021");
  });

  it("takes today's date where the reader is", () => {
    expect(today(new Date(2026, 11, 2, 23, 59))).toBe("2026-12-02");
    expect(today(new Date(2027, 0, 9))).toBe("2027-01-09");
  });

  it("finds the newest baseline or observation, never a target", () => {
    const progress = [
      { items: [{ baseline: { date: "2021-01-15" }, latest: { date: "2024-06-30" }, target: { date: "2030-12-31" } }] },
      { items: [{ baseline: null, latest: { date: "2025-03-31" } }, { baseline: { date: "2022-01-01" }, latest: null }] },
    ];
    expect(latestFigure(progress)).toBe("2025-03-31");
    expect(latestFigure([{ items: [{ baseline: { date: "2021-01-15" }, latest: null }] }])).toBe("2021-01-15");
    expect(latestFigure([{ items: [] }])).toBeNull();
    expect(latestFigure([])).toBeNull();
  });
});
