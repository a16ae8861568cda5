import { render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";

import StatusBadge from "./StatusBadge.svelte";

describe("StatusBadge", () => {
  it("says the status in words, not colour alone", () => {
    render(StatusBadge, { status: "at_risk" });
    const badge = screen.getByText("At risk");
    expect(badge.className).toContain("at_risk");
  });

  it("says the new states in words", () => {
    render(StatusBadge, { status: "no_observation" });
    render(StatusBadge, { status: "no_target" });
    render(StatusBadge, { status: "stale" });
    render(StatusBadge, { status: "uncertain" });
    for (const words of ["No figures since the baseline", "No target set", "Stale data", "Uncertain (a bound)"]) {
      expect(screen.getByText(words)).toBeTruthy();
    }
  });

  it("takes more exact words from its caller", () => {
    render(StatusBadge, { status: "uncertain", text: "Uncertain" });
    expect(screen.getByText("Uncertain").className).toContain("uncertain");
  });
});
