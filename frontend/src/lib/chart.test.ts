import { describe, expect, it } from "vitest";

import { qualified, scales } from "./chart";

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
  });
});
