import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";

import { API, APP, api, withPage } from "./browser";

// scripts/e2e serves the app as `make run` does (scripts/serve), on ports other than the defaults.
let page: Page;
withPage((opened) => (page = opened));

describe("served on ports other than the defaults", () => {
  it("tells the app where its API is, at start, and the API lets the app's origin in", async () => {
    expect(new URL(API).port).not.toBe("8000");
    expect(new URL(APP).port).not.toBe("5173");
    await page.goto(`${APP}/`);
    expect(await page.evaluate(() => (window as { ROADMAP_CONFIG?: { apiBase?: string } }).ROADMAP_CONFIG?.apiBase)).toBe(API);
    // The cards come from the API: the browser let the answers through (CORS).
    const first = (await api<{ items: { code: string; title: string }[] }>("/missions?sort=code")).items[0]!;
    await page.getByRole("heading", { level: 2, name: `${first.code}: ${first.title}` }).waitFor();
    const read = await page.evaluate(async (api) => {
      const r = await fetch(`${api}/api/v1/missions`, { headers: { "X-Request-ID": "e2e-preflight" } });
      return r.status;
    }, API);
    expect(read).toBe(200); // a preflighted request (X-Request-ID is not CORS-safelisted) was let through, and its answer read
  });

  it("lets in no other origin", async () => {
    const preflight = await fetch(`${API}/api/v1/missions`, {
      method: "OPTIONS",
      headers: { Origin: "http://elsewhere.example", "Access-Control-Request-Method": "GET" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    const ours = await fetch(`${API}/api/v1/missions`, {
      method: "OPTIONS",
      headers: { Origin: APP, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization" },
    });
    expect(ours.status).toBe(200);
    expect(ours.headers.get("access-control-allow-origin")).toBe(APP);
  });
});
