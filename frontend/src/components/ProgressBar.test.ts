import { render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";

import ProgressBar from "./ProgressBar.svelte";

describe("ProgressBar", () => {
  it("shows half-way as 50% in words and as a bar", () => {
    render(ProgressBar, { progress: 0.5, label: "Full fibre" });
    expect(screen.getByText("Full fibre: 50% of the way from baseline to target")).toBeTruthy();
    expect(screen.getByRole("progressbar").getAttribute("value")).toBe("0.5");
  });

  it("says so when nothing is measured yet, with no empty bar", () => {
    render(ProgressBar, { progress: null, label: "Skills" });
    expect(screen.getByText("Skills: not measured against a target yet")).toBeTruthy();
    expect(screen.queryByRole("progressbar")).toBeNull();
  });

  it("draws a range, labelled, when a bound leaves progress open", () => {
    render(ProgressBar, { progress: 0.25, range: [0.25, 0.667], label: "Dudley" });
    expect(screen.getByText("Dudley: between 25% and 67% of the way from baseline to target (a bound leaves it open)")).toBeTruthy();
    expect(screen.queryByRole("progressbar")).toBeNull();
    const drawn = screen.getByRole("img", { name: "Dudley: between 25% and 67% of the way from baseline to target" });
    const band = drawn.querySelector<HTMLElement>(".range")!;
    expect(band.style.left).toBe("25%");
  });
});
