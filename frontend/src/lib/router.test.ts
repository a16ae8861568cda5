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
    expect(match("/imports")).toEqual({ view: "imports" });
    expect(match("/report")).toEqual({ view: "report" });
    expect(match("/report/extra").view).toBe("not-found");
    const list = match("/stakeholders", "?q=aston&kind=university");
    expect(list.view).toBe("stakeholders");
    if (list.view === "stakeholders") expect(list.query.get("kind")).toBe("university");
  });

  it("routes editing, support and signing in", () => {
    expect(match("/stakeholders/abc/edit")).toEqual({ view: "stakeholder-edit", id: "abc" });
    expect(match("/collaborations/c1")).toEqual({ view: "collaboration", id: "c1" });
    expect(match("/collaborations/new", "?lead=s1").view).toBe("collaboration-new");
    expect(match("/stakeholders/new")).toEqual({ view: "stakeholder-new" });
    expect(match("/stories/new", "?stakeholder=s1").view).toBe("story-new");
    expect(match("/stories/st1/edit")).toEqual({ view: "story-edit", id: "st1" });
    expect(match("/collaborations/c1/edit")).toEqual({ view: "collaboration-edit", id: "c1" });
    expect(match("/support", "?mission=m1").view).toBe("support");
    expect(match("/sign-in", "?next=%2Fstakeholders%2Fabc%2Fedit")).toEqual({ view: "sign-in", next: "/stakeholders/abc/edit" });
  });

  it("never sends a signed-in user to another site", () => {
    expect(match("/sign-in", "?next=https%3A%2F%2Fevil.example")).toEqual({ view: "sign-in", next: "/" });
    expect(match("/sign-in", "?next=%2F%2Fevil.example")).toEqual({ view: "sign-in", next: "/" });
    expect(match("/sign-in")).toEqual({ view: "sign-in", next: "/" });
    expect(match("/sign-in", "?next=%2F%5Cevil.example")).toEqual({ view: "sign-in", next: "/" });
  });

  it("says when nothing lives at a path", () => {
    expect(match("/nowhere/at/all")).toEqual({ view: "not-found", path: "/nowhere/at/all" });
    expect(match("/stakeholders/%E0%A4%A")).toEqual({ view: "not-found", path: "/stakeholders/%E0%A4%A" });
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
