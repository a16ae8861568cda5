import { describe, expect, it } from "vitest";

import { STATUS_LABEL, count, percent, pounds } from "./status";

describe("status helpers", () => {
  it("clamps progress to 0..100% and shows a dash for none", () => {
    expect(percent(0.5)).toBe("50%");
    expect(percent(1.3)).toBe("100%");
    expect(percent(-0.2)).toBe("0%");
    expect(percent(null)).toBe("—");
  });

  it("names every status in words", () => {
    expect(Object.values(STATUS_LABEL)).toEqual(["Achieved", "On track", "At risk", "Off track", "No data yet"]);
  });

  it("shows pence as pounds", () => {
    expect(pounds(150_000_00)).toBe("£150,000");
  });
});

describe("count", () => {
  it("names one and many", () => {
    expect(count(1, "organisation")).toBe("1 organisation");
    expect(count(3, "organisation")).toBe("3 organisations");
    expect(count(0, "story", "stories")).toBe("0 stories");
  });
});
