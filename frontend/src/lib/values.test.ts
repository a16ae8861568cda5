import { describe, expect, it } from "vitest";

import { breakdownLabel, breakdownQuery, breaksSeries, flagWords, markerOf, notes } from "./values";

describe("flags in words", () => {
  it("names each flag, a break in series first", () => {
    expect(flagWords(["revised", "break_in_series", "provisional"])).toEqual(["Break in series", "Provisional", "Revised"]);
    expect(flagWords(["estimated"])).toEqual(["Estimated"]);
    expect(flagWords([])).toEqual([]);
    expect(flagWords(undefined)).toEqual([]);
  });

  it("writes the Notes cell: the flags, then the value's own note", () => {
    expect(notes({ flags: ["provisional"], note: "Survey still open" })).toBe("Provisional. Survey still open");
    expect(notes({ flags: ["estimated", "break_in_series"], note: null })).toBe("Break in series, Estimated");
    expect(notes({ flags: [], note: " Rounded by the publisher " })).toBe("Rounded by the publisher");
    expect(notes({ flags: [], note: null })).toBe("");
    expect(notes({})).toBe("");
  });
});

describe("markers", () => {
  it("draws a provisional, estimated or revised value with its own symbol, the first of them if several", () => {
    expect(markerOf([])).toBe("measured");
    expect(markerOf(["break_in_series"])).toBe("measured");
    expect(markerOf(["revised", "provisional"])).toBe("provisional");
    expect(markerOf(["revised", "estimated"])).toBe("estimated");
    expect(markerOf(["revised"])).toBe("revised");
  });

  it("tells a break in series", () => {
    expect(breaksSeries(["provisional", "break_in_series"])).toBe(true);
    expect(breaksSeries(["provisional"])).toBe(false);
    expect(breaksSeries(null)).toBe(false);
  });
});

describe("breakdowns", () => {
  it("names a breakdown, or the total", () => {
    expect(breakdownLabel({ age: "65+", sex: "Female" })).toBe("age 65+, sex Female");
    expect(breakdownLabel({})).toBe("Total");
    expect(breakdownLabel(undefined)).toBe("Total");
  });

  it("writes the query the API takes, `total` for the totals", () => {
    expect(breakdownQuery({ age: "65+", sex: "Female" })).toBe("age:65+;sex:Female");
    expect(breakdownQuery({})).toBe("total");
  });
});
