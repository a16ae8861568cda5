import { afterEach, describe, expect, it, vi } from "vitest";

import { Session } from "./session.svelte";

const me = { kind: "account", id: "a1", name: "partner@aston.example", role: "partner", stakeholder_id: "s1" };
const pair = (n: number, expiresIn = 900) => ({ access_token: `access-${n}`, refresh_token: `refresh-${n}`, token_type: "bearer", expires_in: expiresIn });
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

afterEach(() => {
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

describe("Session", () => {
  it("signs in, knows who it is, and what it may edit", async () => {
    vi.stubGlobal("fetch", vi.fn(async (url: string) => (url.endsWith("/auth/token") ? json(pair(1)) : json(me))));
    const session = new Session();
    await session.signIn("partner@aston.example", "secret");
    expect(session.me?.name).toBe("partner@aston.example");
    expect(await session.token()).toBe("access-1");
    expect(session.canEditStakeholder("s1")).toBe(true);
    expect(session.canEditStakeholder("s2")).toBe(false);
    expect(session.canImport).toBe(true); // a partner imports (its rows checked against what it owns)
    // A reload of the tab picks the sign-in up again.
    const again = new Session();
    await again.ready;
    expect(again.me?.role).toBe("partner");
  });

  it("refreshes an expiring token once, however many requests ask at the same time", async () => {
    let issued = 0;
    const fetch = vi.fn(async (url: string) => (url.endsWith("/auth/token") ? json(pair(++issued)) : json(me)));
    vi.stubGlobal("fetch", fetch);
    const session = new Session();
    await session.signIn("partner@aston.example", "secret");
    expect(await session.token()).toBe("access-1");

    const now = Date.now();
    vi.spyOn(Date, "now").mockReturnValue(now + 880_000); // 20 s before the 15 minutes are up
    const tokens = await Promise.all([session.token(), session.token(), session.token()]);
    expect(tokens).toEqual(["access-2", "access-2", "access-2"]);
    expect(fetch.mock.calls.filter(([url]) => url.endsWith("/auth/token"))).toHaveLength(2); // sign-in, one refresh
    vi.restoreAllMocks();
  });

  it("ends the sign-in when the API refuses the refresh, not when the network blinks", async () => {
    let refresh: () => Promise<Response> = async () => json(pair(2, 900));
    vi.stubGlobal("fetch", vi.fn(async (url: string, init?: RequestInit) => {
      if (!url.endsWith("/auth/token")) return json(me);
      return String(init?.body).includes("grant_type=password") ? json(pair(1, 10)) : refresh();
    }));
    const session = new Session();
    refresh = async () => json(pair(2, 10));
    await session.signIn("partner@aston.example", "secret");

    refresh = async () => { throw new TypeError("Failed to fetch"); };
    expect(await session.token()).toBeNull();
    expect(session.me).not.toBeNull();

    refresh = async () => json({ title: "Unauthorized", detail: "Refresh token reused." }, 401);
    expect(await session.token()).toBeNull();
    expect(session.me).toBeNull();
    expect(sessionStorage.length).toBe(0);
  });
});

describe("Session edge cases", () => {
  it("does not bring back a sign-in ended while a refresh was on its way", async () => {
    let release: (r: Response) => void = () => {};
    vi.stubGlobal("fetch", vi.fn(async (url: string, init?: RequestInit) => {
      if (url.endsWith("/auth/me")) return json(me);
      if (url.endsWith("/auth/revoke")) return new Response(null, { status: 204 });
      if (String(init?.body).includes("grant_type=password")) return json(pair(1));
      return new Promise<Response>((resolve) => (release = resolve));
    }));
    const session = new Session();
    await session.signIn("partner@aston.example", "secret");
    vi.spyOn(Date, "now").mockReturnValue(Date.now() + 880_000);
    const pending = session.token();
    await session.signOut();
    release(json(pair(2)));
    expect(await pending).toBeNull();
    expect(sessionStorage.length).toBe(0);
    vi.restoreAllMocks();
  });

  it("keeps the sign-in when the API is failing (5xx, 429), and says why sign-in failed", async () => {
    vi.stubGlobal("fetch", vi.fn(async (url: string) => (url.endsWith("/auth/token") ? json({ title: "Too many sign-in attempts", detail: "Try again in 60 seconds." }, 429) : json(me))));
    const session = new Session();
    await expect(session.signIn("partner@aston.example", "secret")).rejects.toThrow("Try again in 60 seconds.");
    expect(session.me).toBeNull();
  });

  it("does not stay half signed in when who-am-I fails", async () => {
    vi.stubGlobal("fetch", vi.fn(async (url: string) => (url.endsWith("/auth/token") ? json(pair(1)) : json({ title: "Unauthorized" }, 401))));
    const session = new Session();
    await expect(session.signIn("partner@aston.example", "secret")).rejects.toThrow();
    expect(sessionStorage.length).toBe(0);
  });
});
