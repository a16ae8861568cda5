import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";

import type { components } from "../src/lib/api/schema";
import { comparedWords, matchWords } from "../src/lib/live";
import { networkWords } from "../src/lib/network";
import { API, APP, api, bearer, check, expectFailedResponse, signIn, withPage } from "./browser";

// The editing tasks of editing.e2e.ts, done with the keyboard alone: no click, no fill. Its own
// accounts and organisation (not editing.e2e.ts's Aston), since every file runs against the same seeded API.
type S = components["schemas"];
type Stakeholder = { id: string; name: string; description: string | null; website: string | null; sectors: string[]; version: number };
type Page_<T> = { items: T[]; next_cursor: string | null };

const PASSWORD = "a long e2e passphrase";
const PARTNER = "kb-partner@warwick.example";
const EDITOR = "kb-officer@wmca.example";
const STORY = "Keyboard-only cyber clinic";
const COLLABORATION = "Keyboard-only digital inclusion drop-ins";
/** The focus ring app.css draws (3px #ffbf47): what "visible" means here. */
const RING = { style: "solid", width: "3px", color: "rgb(255, 191, 71)" };

let page: Page;
let warwick: Stakeholder;
let editorToken: string;

beforeAll(async () => {
  const admin = await signIn(process.env.E2E_ADMIN_EMAIL!, process.env.E2E_ADMIN_PASSWORD!);
  warwick = (await api<Page_<Stakeholder>>("/stakeholders?q=University%20of%20Warwick")).items[0]!;
  const create = (email: string, role: string, stakeholder_id?: string) =>
    api("/accounts", { method: "POST", body: JSON.stringify({ email, password: PASSWORD, role, stakeholder_id }), ...bearer(admin) });
  await create(PARTNER, "partner", warwick.id);
  await create(EDITOR, "editor");
  editorToken = await signIn(EDITOR, PASSWORD);
});
withPage((opened) => (page = opened));

type Focused = { tag: string; name: string; id: string; outline: { style: string; width: string; color: string } } | null;

/**
 * The focused element as a keyboard user meets it: its tag, name (aria-label, label or rendered text,
 * where visually hidden words count as their own block, as in an accessible name) and focus ring; null when lost.
 */
function focused(): Promise<Focused> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body || el === document.documentElement) return null;
    const words = (s: string | null | undefined) => (s ?? "").replace(/\s+/g, " ").trim();
    const labels = (el as HTMLInputElement).labels;
    const name = el.getAttribute("aria-label") ?? words((labels?.[0] ?? el).innerText);
    const style = getComputedStyle(el);
    return { tag: el.tagName.toLowerCase(), name, id: el.id, outline: { style: style.outlineStyle, width: style.outlineWidth, color: style.outlineColor } };
  });
}

const said = (f: Focused) => (f ? `${f.tag}${f.id ? `#${f.id}` : ""} “${f.name.slice(0, 60)}”` : "(nothing: the page)");
const fits = (f: Focused, name: string | RegExp) => f !== null && (typeof name === "string" ? f.name === name : name.test(f.name));

/**
 * Tab (or Shift+Tab) until the element named `name` has focus; fails after `max` presses with what
 * was focused on the way. Focus is then checked visible.
 */
async function tabTo(name: string | RegExp, { back = false, max = 120 } = {}): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
    const now = await focused();
    if (fits(now, name)) return expectRing(now);
    seen.push(said(now));
  }
  throw new Error(`${max} presses of ${back ? "Shift+Tab" : "Tab"} never reached ${name}; focused on the way:\n  ${seen.join("\n  ")}`);
}

/** Focus, once the page has settled on it, is on the element named `name` (after a save, an error, a route change). */
async function focusLandsOn(name: string | RegExp): Promise<void> {
  const test = typeof name === "string" ? { text: name } : { source: name.source, flags: name.flags };
  await page
    .waitForFunction((t) => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return false;
      const labels = (el as HTMLInputElement).labels;
      const n = (el.getAttribute("aria-label") ?? (labels?.[0] ?? el).innerText).replace(/\s+/g, " ").trim();
      return "text" in t ? n === t.text : new RegExp(t.source, t.flags).test(n);
    }, test, { timeout: 10_000 })
    .catch(async () => {
      throw new Error(`Focus never landed on ${name}: it is on ${said(await focused())}`);
    });
  expectRing(await focused());
}

/** Focus is somewhere (not lost to the page) and drawn with the app's focus ring. */
function expectRing(now: Focused): void {
  expect(now, "focus was lost to the page").not.toBeNull();
  expect(now!.outline, `the focus ring of ${said(now)}`).toEqual(RING);
}

async function expectFocusKept(): Promise<void> {
  expectRing(await focused());
}

/** Select all of a text input's text and type over it (Backspace when the new text is empty). */
async function typeOver(text: string): Promise<void> {
  await page.keyboard.press("Control+A");
  if (text) await page.keyboard.type(text);
  else await page.keyboard.press("Backspace");
}

const inputValue = (id: string) => page.evaluate((i) => (document.getElementById(i) as HTMLInputElement).value, id);

describe("editing with the keyboard alone", () => {
  it("signs in after a wrong password, told why with focus on the message", async () => {
    await page.goto(`${APP}/stakeholders/${warwick.id}`);
    await page.getByRole("heading", { level: 1, name: warwick.name }).waitFor();
    await tabTo("Sign in");
    await page.keyboard.press("Enter");
    await focusLandsOn("Sign in"); // the page's heading, after the route change
    expect((await focused())!.tag).toBe("h1");

    await tabTo("E-mail address");
    await page.keyboard.type(PARTNER);
    await tabTo("Password");
    await page.keyboard.type("not the password");
    expectFailedResponse(401, "POST", /\/api\/v1\/auth\/token$/);
    await page.keyboard.press("Enter");
    await focusLandsOn(/^Not signed in Wrong e-mail or password\./);
    const alert = page.getByRole("alert");
    expect(await alert.getAttribute("id")).toBe("sign-in-alert");
    // The fields say what is wrong with them, in the message's words.
    const password = page.getByLabel("Password");
    expect([await password.getAttribute("aria-invalid"), await password.getAttribute("aria-describedby")]).toEqual(["true", "sign-in-error"]);
    expect(await page.locator("#sign-in-error").textContent()).toBe("Wrong e-mail or password.");
    await check(page, "keyboard-sign-in-refused");

    await page.keyboard.press("Tab"); // from the message to its link, which leads to the password
    expectRing(await focused());
    expect((await focused())!.name).toBe("Type the password again");
    await page.keyboard.press("Enter");
    await focusLandsOn("Password");
    expect(await inputValue("email")).toBe(PARTNER); // only the password is to type again
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press("Enter");
    await page.getByText(`Signed in as ${PARTNER}`).waitFor();
    await focusLandsOn(warwick.name); // back where they were, on its heading
  });

  it("edits its organisation, and is led from the API's refusal to the field", async () => {
    await tabTo("Edit this organisation");
    await page.keyboard.press("Enter");
    await focusLandsOn(`Edit ${warwick.name}`);
    const website = (await api<Stakeholder>(`/stakeholders/${warwick.id}`)).website ?? "";

    await tabTo("Website (optional)");
    await typeOver("not a web address");
    await tabTo("Save changes");
    expectFailedResponse(422, "PATCH", new RegExp(`/api/v1/stakeholders/${warwick.id}$`));
    await page.keyboard.press("Enter");
    await focusLandsOn(/^Not saved: please check Website: /); // the error summary, read out as an alert
    const input = page.getByLabel("Website (optional)");
    expect(await input.getAttribute("aria-invalid")).toBe("true");
    expect((await input.getAttribute("aria-describedby"))?.split(" ")).toContain("website-error");
    const message = (await page.locator("#website-error").textContent())!.replace(/^Error:\s*/, "");
    await check(page, "keyboard-edit-invalid");

    await page.keyboard.press("Tab"); // the summary's link to the field
    expect((await focused())!.name).toBe(`Website: ${message}`);
    expect(await page.getByRole("link", { name: `Website: ${message}` }).getAttribute("href")).toBe("#field-website");
    await page.keyboard.press("Enter");
    await focusLandsOn("Website (optional)");
    await typeOver(website);

    await tabTo("Description (optional)");
    await typeOver("A university in Coventry; edited with the keyboard alone.");
    await tabTo("Save changes");
    await page.keyboard.press("Enter");
    await focusLandsOn("Saved.");
    const saved = await api<Stakeholder>(`/stakeholders/${warwick.id}`);
    expect([saved.description, saved.website ?? ""]).toEqual(["A university in Coventry; edited with the keyboard alone.", website]);
  });

  it("loses a race to an editor: told who won, focus on the message, nothing typed lost", async () => {
    const current = await api<Stakeholder>(`/stakeholders/${warwick.id}`);
    await tabTo("Sectors (optional)"); // from the message, on to the fields
    await typeOver("digital\nskills");
    // Meanwhile the digital team changes the description.
    await api(`/stakeholders/${warwick.id}`, {
      method: "PATCH",
      body: JSON.stringify({ description: "Updated by the digital team, meanwhile." }),
      ...bearer(editorToken, { "If-Match": `"${current.version}"` }),
    });
    await tabTo("Save changes");
    expectFailedResponse(412, "PATCH", new RegExp(`/api/v1/stakeholders/${warwick.id}$`));
    await page.keyboard.press("Enter");
    await focusLandsOn(/^Someone else saved this record while you were editing/);
    const alert = page.getByRole("alert");
    expect(await alert.textContent()).toContain(`${EDITOR} saved version ${current.version + 1}`);
    expect(await alert.textContent()).toContain("changing description");
    expect(await inputValue("field-sectors")).toBe("digital\nskills");
    await check(page, "keyboard-edit-conflict");

    await page.keyboard.press("Tab");
    expect((await focused())!.name).toBe("Load their version and keep my changes");
    await page.keyboard.press("Enter");
    await focusLandsOn(new RegExp(`^Loaded version ${current.version + 1}\\. Your changes to sectors are re-applied`));
    expect(await inputValue("field-sectors")).toBe("digital\nskills");
    await tabTo("Save changes");
    await page.keyboard.press("Enter");
    await focusLandsOn("Saved.");
    const saved = await api<Stakeholder>(`/stakeholders/${warwick.id}`);
    expect([saved.sectors.sort(), saved.description]).toEqual([["digital", "skills"], "Updated by the digital team, meanwhile."]);
  });

  it("proposes a collaboration, and adds and removes who takes part", async () => {
    await tabTo("Back to the organisation", { back: true });
    await page.keyboard.press("Enter");
    await focusLandsOn(warwick.name);
    await tabTo(`Propose a collaboration led by ${warwick.name}`);
    await page.keyboard.press("Enter");
    await focusLandsOn("Propose a collaboration");
    await tabTo("Title");
    await page.keyboard.type(COLLABORATION);
    await tabTo("Kind");
    await page.keyboard.type("project"); // a closed list picks by what is typed
    await tabTo("Funding status (optional)");
    await page.keyboard.type("seeking");
    await tabTo("Funding amount (£) (optional)");
    await page.keyboard.type("£12,500");
    expect(await page.getByLabel("Kind").inputValue()).toBe("project");
    expect(await page.getByLabel("Funding status (optional)").inputValue()).toBe("seeking");
    await tabTo("Create");
    await page.keyboard.press("Enter");
    await focusLandsOn(COLLABORATION); // the new collaboration's page
    await page.getByText("Proposed: it stays a draft until the digital team publishes it.").waitFor();
    const id = page.url().split("/collaborations/")[1]!;
    const made = await api<{ funding_amount_pence: number; kind: string; publication: string }>(`/collaborations/${id}`, bearer(editorToken));
    expect([made.kind, made.funding_amount_pence, made.publication]).toEqual(["project", 1_250_000, "draft"]);

    await tabTo("Find an organisation");
    await page.keyboard.type("Coventry University");
    const found = await api<Page_<Stakeholder>>("/stakeholders?q=Coventry%20University&limit=20");
    const status = page.locator("p[role=status]", { hasText: "Pick one under Organisation" });
    expect(await status.textContent({ timeout: 10_000 })).toBe(`${matchWords(found.items.length, "organisation")} Pick one under Organisation.`);
    await tabTo("Organisation");
    await page.keyboard.type("Coventry University");
    await tabTo("Role");
    await page.keyboard.type("partner");
    await tabTo("Add to the collaboration");
    await page.keyboard.press("Enter");
    await page.getByText("Coventry University now takes part as partner.").waitFor();
    await expectFocusKept(); // still on the button
    await page.getByRole("row", { name: /Coventry University partner/ }).waitFor();

    await tabTo("Remove Coventry University (partner)", { back: true });
    await page.keyboard.press("Enter");
    await page.getByText("Coventry University no longer takes part.").waitFor();
    // The button went with its row: focus is on the list's heading, not lost.
    await focusLandsOn("Who takes part (1)");
  });

  it("tells a story, led from the API's refusal to the title", async () => {
    await tabTo(warwick.name); // the lead, in the table of who takes part
    await page.keyboard.press("Enter");
    await focusLandsOn(warwick.name);
    await tabTo(`Tell a story about ${warwick.name}`);
    await page.keyboard.press("Enter");
    await focusLandsOn("Tell a story");
    await tabTo("Create");
    expectFailedResponse(422, "POST", /\/api\/v1\/stories$/);
    await page.keyboard.press("Enter");
    await focusLandsOn(/^Not saved: please check .*Title: /);
    expect((await page.getByLabel("Title").getAttribute("aria-describedby"))?.split(" ")).toContain("title-error");
    await tabTo(/^Title: /);
    await page.keyboard.press("Enter");
    await focusLandsOn("Title");
    await page.keyboard.type(STORY);
    await tabTo("Kind");
    await page.keyboard.type("lesson");
    await tabTo("Summary");
    await page.keyboard.type("Booked out by word of mouth; the evening sessions drew the most.");
    expect(await page.getByLabel("Publication").count()).toBe(0); // partners cannot publish
    await tabTo("Create");
    await page.keyboard.press("Enter");
    await focusLandsOn(warwick.name); // back on the organisation's page
    await page.getByText("Your story is saved as a draft. The digital team will publish it.").waitFor();
    await page.getByText(`${STORY} (draft)`).waitFor();
  });

  it("signs out, and the digital team signs in and publishes the draft story", async () => {
    await tabTo("Sign out", { back: true });
    await page.keyboard.press("Enter");
    await focusLandsOn("Sign in"); // the header's link, in the button's place
    await page.keyboard.press("Enter");
    await focusLandsOn("Sign in");
    await tabTo("E-mail address");
    await page.keyboard.type(EDITOR);
    await tabTo("Password");
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press("Enter");
    await focusLandsOn(warwick.name);

    await tabTo("Stories", { back: true }); // the main navigation
    await page.keyboard.press("Enter");
    await focusLandsOn("The Innovation Tracker");
    await tabTo("Stage");
    await page.keyboard.type("Drafts");
    await page.waitForURL(/publication=draft/);
    const drafts = await api<Page_<{ title: string }>>("/stories?publication=draft&limit=20", bearer(editorToken));
    await page.locator("p[role=status]", { hasText: matchWords(drafts.items.length, "draft") }).waitFor();
    await expectFocusKept(); // a filter is the same page: focus stays on it
    expect((await focused())!.name).toBe("Stage");

    await tabTo(`Edit “${STORY}”`);
    await page.keyboard.press("Enter");
    await focusLandsOn(`Edit “${STORY}”`);
    await tabTo("Publication");
    await page.keyboard.type("published");
    await tabTo("Save changes");
    await page.keyboard.press("Enter");
    await focusLandsOn("Saved.");
    const published = await fetch(`${API}/api/v1/stories?stakeholder=${warwick.id}`).then((r) => r.json() as Promise<Page_<{ title: string }>>);
    expect(published.items.map((s) => s.title)).toContain(STORY);
  });
});

/**
 * Everything the page's live regions say from now on: each change of a region's text. A "Loading…"
 * paragraph is left out: it arrives with its text, and a live region reads out only what changes in it.
 */
async function listen(): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { said: string[] };
    w.said = [];
    const regions = () => Array.from(document.querySelectorAll<HTMLElement>("[role=status], [aria-live]"));
    const last = new Map<HTMLElement, string>();
    for (const el of regions()) last.set(el, el.textContent ?? "");
    const hear = () => {
      for (const el of regions()) {
        const now = el.textContent ?? "";
        if (now === (last.get(el) ?? "")) continue;
        last.set(el, now);
        const words = now.replace(/\s+/g, " ").trim();
        if (words && !words.startsWith("Loading")) w.said.push(words);
      }
    };
    new MutationObserver(hear).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}
const heard = () => page.evaluate(() => (window as unknown as { said: string[] }).said);

/** The count's live region: one per view, polite, saying `words`. */
async function expectCount(words: string): Promise<void> {
  const region = page.locator("p.live-count");
  await page.locator("p.live-count", { hasText: words }).waitFor();
  expect(await region.count()).toBe(1);
  expect((await region.textContent())?.trim()).toBe(words);
  expect([await region.getAttribute("role"), await region.getAttribute("aria-live")]).toEqual(["status", "polite"]);
}

describe("told what changed", () => {
  it("says how many organisations match as the search is typed, once the answer is in", async () => {
    await page.goto(`${APP}/stakeholders`);
    const all = await api<Page_<Stakeholder>>("/stakeholders?limit=25");
    await expectCount(matchWords(all.items.length, "organisation", "organisations", Boolean(all.next_cursor)));
    await listen();
    await tabTo("Search");
    await page.keyboard.type("University");
    const universities = await api<Page_<Stakeholder>>("/stakeholders?q=University&limit=25");
    const words = matchWords(universities.items.length, "organisation", "organisations", Boolean(universities.next_cursor));
    await expectCount(words);
    // Only the answer is read out: no count for the half-typed word.
    expect(await heard()).toEqual([words]);
    await expectFocusKept();
    expect((await focused())!.name).toBe("Search");

    const none = "No organisation matches.";
    await typeOver("no such organisation anywhere");
    await expectCount(none);
    await tabTo("Kind");
    await page.keyboard.type("university");
    await page.waitForURL(/kind=university/);
    // Still none: the same words, read out again for the new filter.
    await page.waitForFunction((n) => (window as unknown as { said: string[] }).said.length === n, 3);
    await typeOverSearch("");
    const kind = await api<Page_<Stakeholder>>("/stakeholders?kind=university&limit=25");
    const kindWords = matchWords(kind.items.length, "organisation", "organisations", Boolean(kind.next_cursor));
    await expectCount(kindWords);
    expect(await heard()).toEqual([words, none, none, kindWords]);
    await check(page, "keyboard-directory-count");
  });

  it("says how many stories and schemes match a filter", async () => {
    await page.goto(`${APP}/stories`);
    const every = await api<Page_<unknown>>("/stories?limit=20");
    await expectCount(matchWords(every.items.length, "story", "stories", Boolean(every.next_cursor)));
    await tabTo("Show");
    await page.keyboard.type("Lessons");
    await page.waitForURL(/kind=lesson/);
    const lessons = await api<Page_<unknown>>("/stories?kind=lesson&limit=20");
    await expectCount(matchWords(lessons.items.length, "story", "stories", Boolean(lessons.next_cursor)));

    await page.goto(`${APP}/support`);
    await tabTo("Search");
    await page.keyboard.type("digital");
    const schemes = await api<Page_<unknown>>("/support-schemes?q=digital&status=open&limit=25");
    await expectCount(matchWords(schemes.items.length, "scheme", "schemes", Boolean(schemes.next_cursor)));
    await tabTo("Status");
    await page.keyboard.type("Open or");
    await page.waitForURL(/status=any/);
    const any = await api<Page_<unknown>>("/support-schemes?q=digital&limit=25");
    await expectCount(matchWords(any.items.length, "scheme", "schemes", Boolean(any.next_cursor)));
  });

  it("says what the region's map and chart show once a metric is chosen", async () => {
    const fibre = (await api<Page_<S["Metric"]>>("/metrics?q=full%20fibre")).items.find((m) => m.code === "full-fibre-coverage")!;
    const level = (l: string) => api<S["Comparison"]>(`/metrics/${fibre.id}/comparison?level=${l}`);
    const [authorities, regions] = await Promise.all([level("local_authority"), level("region")]);
    await page.goto(`${APP}/region`);
    await tabTo("Metric");
    await page.keyboard.type(fibre.name);
    await page.waitForURL(/metric=/);
    await expectCount(comparedWords(fibre.name, authorities, regions));
  });

  it("says how many organisations and links the network shows after a filter", async () => {
    const coventry = (await api<Page_<{ id: string; name: string }>>("/areas?q=Coventry&kind=local_authority")).items[0]!;
    const network = await api<S["Network"]>(`/network?area=${coventry.id}`);
    await page.goto(`${APP}/network`);
    await tabTo("Area");
    await page.keyboard.type(coventry.name);
    await page.waitForURL(/area=/);
    await expectCount(networkWords(network.nodes.length, network.edges.length, network.excluded_kinds));
    expect((await focused())!.name).toBe("Area");
  });
});

async function typeOverSearch(text: string): Promise<void> {
  await tabTo("Search", { back: true });
  await typeOver(text);
}

/** A made-up network past the size the view lays out at once (400): its layout runs in a worker, and moves. */
function largeNetwork(count: number): S["Network"] {
  let seed = 11;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const nodes: S["Node"][] = Array.from({ length: count }, (_, i) => ({
    id: `m${i}`, name: `Organisation ${i}`, kind: "business", sector: "business", degree: 0, strength: 0, community: null,
  }));
  const edges: S["Edge"][] = [];
  for (let i = 1; i < count; i++) {
    const j = Math.floor(random() * i);
    edges.push({ source: `m${i}`, target: `m${j}`, weight: 1, strength: 1, collaboration_ids: [] });
    for (const n of [nodes[i]!, nodes[j]!]) (n.degree++, n.strength++);
  }
  return { data_version: 1, weighting: "shared", excluded_kinds: [], method: "Made up for the test.", nodes, edges };
}

describe("the network view, for those who ask for less motion", () => {
  /** The drawing, as pixels, now and after `frames` more frames have been drawn. */
  async function twoLooks(frames: number): Promise<[Buffer, Buffer]> {
    const graph = page.locator(".graph");
    const first = await graph.screenshot();
    await page.evaluate((n) => new Promise<void>((done) => {
      const step = (left: number) => (left === 0 ? done() : requestAnimationFrame(() => step(left - 1)));
      step(n);
    }), frames);
    return [first, await graph.screenshot()];
  }

  it("draws a large network once, laid out, instead of animating its layout", async () => {
    const network = largeNetwork(1000);
    await page.route(/\/api\/v1\/network(\?|$)/, (route) => route.fulfill({ json: network }));
    // Every state the drawing goes through, from the start.
    await page.addInitScript(() => {
      const w = window as unknown as { layouts: string[] };
      w.layouts = [];
      new MutationObserver((records) => {
        for (const r of records) w.layouts.push((r.target as HTMLElement).dataset["layout"] ?? "");
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-layout"] });
    });
    const layouts = () => page.evaluate(() => (window as unknown as { layouts: string[] }).layouts);
    try {
      // As is: drawn at once, and the dots move while the layout runs (what the setting is there to stop).
      await page.emulateMedia({ reducedMotion: "no-preference" });
      await page.goto(`${APP}/network`);
      await page.locator('.graph[data-layout="moving"] canvas').first().waitFor();
      await page.locator('.graph[data-layout="still"]').waitFor();
      expect(await layouts()).toEqual(["moving", "still"]);

      await page.emulateMedia({ reducedMotion: "reduce" });
      await page.goto(`${APP}/network`);
      await page.locator('.graph[data-layout="laying-out"]').waitFor();
      expect(await page.locator(".graph canvas").count()).toBe(0); // nothing drawn while it is laid out
      await page.locator('.graph[data-layout="still"] canvas').first().waitFor();
      expect(await layouts()).toEqual(["laying-out", "still"]);
      expect(await page.locator(".graph").getAttribute("aria-busy")).toBe("false");
      const [drawn, later] = await twoLooks(20);
      expect(drawn.equals(later)).toBe(true);
    } finally {
      await page.unroute(/\/api\/v1\/network(\?|$)/);
      await page.emulateMedia({ reducedMotion: null });
    }
  });
});
