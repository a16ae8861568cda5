import { describe, expect, it } from "vitest";

import { qualified, scales, segments } from "./chart";

describe("scales", () => {
  it("maps the first and last dates to the edges and the extremes to top and bottom", () => {
    const { x, y } = scales(
      [
        { date: "2021-01-01", value: 10 },
        { date: "2023-01-01", value: 20 },
      ],
      [30],
      300,
      200,
      20,
    );
    expect(x("2021-01-01")).toBe(20);
    expect(x("2023-01-01")).toBe(280);
    expect(y(10)).toBe(180); // the lowest value at the bottom
    expect(y(30)).toBe(20); // the target line at the top
  });
});

describe("qualified", () => {
  it("shows how the source bounds a value", () => {
    expect(qualified("5", "lt")).toBe("< 5");
    expect(qualified("20", "approx")).toBe("≈ 20");
    expect(qualified("7", "gt")).toBe("> 7");
    expect(qualified("24", "eq")).toBe("24");
    expect(qualified(3)).toBe("3");
    expect(qualified("3", null)).toBe("3");
  });
});

describe("segments", () => {
  const at = (date: string, flags: string[] = []) => ({ date, value: 1, flags });

  it("is one piece when nothing breaks the series, in date order", () => {
    expect(segments([at("2023-01-01"), at("2021-01-01", ["provisional"]), at("2022-01-01")])).toEqual([
      [at("2021-01-01", ["provisional"]), at("2022-01-01"), at("2023-01-01")],
    ]);
  });

  it("starts a new piece at each break in series, so no line joins across it", () => {
    const pieces = segments([at("2021-01-01"), at("2022-01-01"), at("2023-01-01", ["break_in_series"]), at("2024-01-01"), at("2025-01-01", ["revised", "break_in_series"])]);
    expect(pieces.map((p) => p.map((q) => q.date))).toEqual([["2021-01-01", "2022-01-01"], ["2023-01-01", "2024-01-01"], ["2025-01-01"]]);
  });

  it("has nothing to break before the first value, and no pieces for no values", () => {
    expect(segments([at("2021-01-01", ["break_in_series"]), at("2022-01-01")])).toHaveLength(1);
    expect(segments([])).toEqual([]);
  });
});
