import { describe, expect, it } from "vitest";

import { match, withQuery } from "./router.svelte";

describe("match", () => {
  it("gives every view its own URL", () => {
    expect(match("/")).toEqual({ view: "dashboard" });
    expect(match("/missions/abc")).toEqual({ view: "mission", id: "abc" });
    expect(match("/stakeholders/x%20y")).toEqual({ view: "stakeholder", id: "x y" });
    expect(match("/stories", "?kind=lesson").view).toBe("stories");
    expect(match("/network").view).toBe("network");
    expect(match("/region").view).toBe("region");
    const list = match("/stakeholders", "?q=aston&kind=university");
    expect(list.view).toBe("stakeholders");
    if (list.view === "stakeholders") expect(list.query.get("kind")).toBe("university");
  });

  it("says when nothing lives at a path", () => {
    expect(match("/nowhere/at/all")).toEqual({ view: "not-found", path: "/nowhere/at/all" });
  });
});

describe("withQuery", () => {
  it("sets, replaces and drops parameters", () => {
    const query = new URLSearchParams("q=aston&cursor=abc");
    expect(withQuery("/stakeholders", query, { cursor: undefined, kind: "university" })).toBe(
      "/stakeholders?q=aston&kind=university",
    );
    expect(withQuery("/stakeholders", query, { q: "", cursor: undefined })).toBe("/stakeholders");
  });
});
