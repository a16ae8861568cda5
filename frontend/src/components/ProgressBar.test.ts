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
});
