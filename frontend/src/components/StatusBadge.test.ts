import { render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";

import StatusBadge from "./StatusBadge.svelte";

describe("StatusBadge", () => {
  it("says the status in words, not colour alone", () => {
    render(StatusBadge, { status: "at_risk" });
    const badge = screen.getByText("At risk");
    expect(badge.className).toContain("at_risk");
  });
});
