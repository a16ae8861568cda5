import { describe, expect, it } from "vitest";

import { embedSnippet, embedUrl, orderScopes, pickBreakdown, pickScope } from "./embed";
import { match } from "./router.svelte";

const scope = (area_id: string, area_code: string | null, baseline: unknown, collaboration_id: string | null = null) => ({
  area_id,
  area_code,
  area_name: area_id,
  collaboration_id,
  baseline,
});

describe("embedUrl", () => {
  it("gives a figure's address, which the router reads back", () => {
    const url = embedUrl("https://roadmap.example", "m1", { area: "E08000028", breakdown: "age:65+" });
    expect(url).toBe("https://roadmap.example/embed/metrics/m1?area=E08000028&breakdown=age%3A65%2B");
    const parsed = new URL(url);
    expect(match(parsed.pathname, parsed.search)).toEqual({ view: "embed-metric", id: "m1", area: "E08000028", breakdown: "age:65+", collaboration: "" });
    expect(embedUrl("http://127.0.0.1:5173", "a b")).toBe("http://127.0.0.1:5173/embed/metrics/a%20b");
  });
});

describe("the embed route", () => {
  it("takes a metric id, and its area, breakdown and collaboration when given", () => {
    expect(match("/embed/metrics/m1")).toEqual({ view: "embed-metric", id: "m1", area: "", breakdown: "", collaboration: "" });
    expect(match("/embed/metrics/m1", "?area=a1&collaboration=c1&other=x")).toEqual({
      view: "embed-metric",
      id: "m1",
      area: "a1",
      breakdown: "",
      collaboration: "c1",
    });
    expect(match("/embed/metrics/m%201", "?breakdown=sex%3AFemale%3Bage%3A16-24")).toMatchObject({ id: "m 1", breakdown: "sex:Female;age:16-24" });
  });

  it("is nothing else", () => {
    expect(match("/embed").view).toBe("not-found");
    expect(match("/embed/metrics").view).toBe("not-found");
    expect(match("/embed/missions/m1").view).toBe("not-found");
    expect(match("/embed/metrics/m1/more").view).toBe("not-found");
  });
});

describe("embedSnippet", () => {
  it("is an iframe with a title, its attributes escaped", () => {
    expect(embedSnippet("https://x.example/embed/metrics/m1?area=a&breakdown=b", 'Full fibre in "Dudley" <b>')).toBe(
      '<iframe src="https://x.example/embed/metrics/m1?area=a&amp;breakdown=b" title="Full fibre in &quot;Dudley&quot; &lt;b&gt;" width="100%" height="720" style="border: 0" loading="lazy"></iframe>',
    );
  });
});

describe("choosing the figures", () => {
  const scopes = orderScopes([scope("a1", "E1", null), scope("a2", "E2", { value: "1" }), scope("a2", "E2", { value: "2" }, "c1")]);

  it("offers the areas with a baseline first, as the metric's chart does", () => {
    expect(scopes.map((s) => s.area_id)).toEqual(["a2", "a2", "a1"]);
  });

  it("finds an area by id or GSS code (any case), area-wide unless a collaboration is named", () => {
    expect(pickScope(scopes, "")).toBe(scopes[0]);
    expect(pickScope(scopes, "a1")?.area_id).toBe("a1");
    expect(pickScope(scopes, "e1")?.area_id).toBe("a1");
    expect(pickScope(scopes, "E2")?.collaboration_id).toBeNull();
    expect(pickScope(scopes, "E2", "c1")?.collaboration_id).toBe("c1");
    expect(pickScope(scopes, "", "c1")?.collaboration_id).toBe("c1");
    expect(pickScope(scopes, "E9")).toBeUndefined();
  });

  it("finds a breakdown by its query; the total by default; a typed + forgiven", () => {
    const items = [{ query: "age:65+" }, { query: "sex:Female" }];
    expect(pickBreakdown(items, "")).toBeNull();
    expect(pickBreakdown(items, "total")).toBeNull();
    expect(pickBreakdown(items, "sex:Female")).toBe(items[1]);
    expect(pickBreakdown(items, "age:65 ")).toBe(items[0]);
    expect(pickBreakdown(items, "age:16-24")).toBeUndefined();
  });
});
