import { render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";

import TrendChart from "./TrendChart.svelte";

const value = (date: string, v: string, flags: ("provisional" | "estimated" | "revised" | "break_in_series")[] = []) => ({ date, value: v, flags });

describe("TrendChart", () => {
  it("draws one line through plain values, as an image with its label, and no key needed", () => {
    const { container } = render(TrendChart, {
      props: {
        label: "Full fibre in Coventry over time",
        baseline: { ...value("2021-01-01", "15"), qualifier: "lt" },
        target: value("2030-01-01", "90"),
        observations: [value("2022-01-01", "20"), value("2023-01-01", "30")],
      },
    });
    expect(screen.getByRole("img", { name: "Full fibre in Coventry over time" })).toBeTruthy();
    expect(container.querySelectorAll("polyline")).toHaveLength(1);
    expect(container.textContent).toContain("baseline < 15");
    expect(container.textContent).toContain("target 90 by 2030-01-01");
    expect(screen.queryByRole("list", { name: "Key to the chart" })).toBeNull();
  });

  it("marks flagged values with their own symbols and breaks the line where the series breaks, with a key in words", () => {
    const observations = [
      value("2021-01-01", "10"),
      value("2022-01-01", "12"),
      value("2023-01-01", "30", ["break_in_series"]),
      value("2024-01-01", "32", ["provisional"]),
    ];
    const { container } = render(TrendChart, { props: { label: "chart", baseline: null, target: null, observations } });
    const lines = [...container.querySelectorAll("polyline")].map((l) => l.getAttribute("points")!.split(" ").length);
    expect(lines).toEqual([2, 2]); // nothing joins 2022 to 2023
    expect(container.querySelectorAll("svg[role=img] circle.hollow")).toHaveLength(1);
    const key = screen.getByRole("list", { name: "Key to the chart" });
    expect([...key.querySelectorAll("li")].map((li) => li.textContent!.trim())).toEqual([
      "Measured",
      "Provisional",
      "Break in series: the line is not joined across it",
    ]);
  });
});
