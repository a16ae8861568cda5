import { describe, expect, it } from "vitest";

import { WM_TILES, shade } from "./tiles";

describe("tiles", () => {
  it("places the seven authorities on distinct tiles", () => {
    const places = new Set(WM_TILES.map((t) => `${t.col},${t.row}`));
    expect(WM_TILES).toHaveLength(7);
    expect(places.size).toBe(7);
  });

  it("shades the best darkest whichever way the metric points", () => {
    expect(shade(30, 10, 30, true)).toBe(1);
    expect(shade(30, 10, 30, false)).toBe(0);
    expect(shade(20, 10, 30, true)).toBe(0.5);
    expect(shade(null, 10, 30, true)).toBeNull();
    expect(shade(15, 15, 15, true)).toBe(1);
  });
});
