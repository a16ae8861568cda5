import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";

import type { components } from "../src/lib/api/schema";
import { API, APP, api, bearer, check, expectFailedResponse, signIn, withPage } from "./browser";
import { download, everything, parseCsv, records } from "./files";

type S = components["schemas"];
type Page_<T> = { items: T[]; next_cursor: string | null };

let page: Page;
withPage((opened) => (page = opened));

const DAY = /-\d{8}\./;
const SOURCE = 'e2e: Ofcom "Connected Nations", 2024';
/** Values of a metric no other browser test writes to: totals, and a breakdown by setting. */
const VALUES = [
  { date: "2022-03-31", value: "9" },
  { date: "2023-03-31", value: "7", flags: ["provisional"], note: "Survey still open, figures may change" },
  { date: "2024-03-31", value: "5" },
  { date: "2023-03-31", value: "15", breakdown: { setting: "rural" } },
  { date: "2024-03-31", value: "12", breakdown: { setting: "rural" } },
];

let seeded: Promise<{ metric: S["Metric"]; scope: S["ScopeProgress"]; mission: string }> | undefined;
/** No 4G coverage, measured over three years in its baseline's area (with a comma and quotes in its source). */
function seedChart() {
  seeded ??= (async () => {
    const admin = await signIn(process.env.E2E_ADMIN_EMAIL!, process.env.E2E_ADMIN_PASSWORD!);
    const metric = (await api<Page_<S["Metric"]>>("/metrics?q=4G")).items.find((m) => m.code === "no-4g-coverage")!;
    const scope = (await api<S["MetricProgress"]>(`/metrics/${metric.id}/progress`)).items[0]!;
    for (const v of VALUES) {
      const body = JSON.stringify({ ...v, area_id: scope.area_id, source: SOURCE });
      await api(`/metrics/${metric.id}/observations`, { method: "POST", body, ...bearer(admin) });
    }
    const outcome = await api<S["Outcome"]>(`/outcomes/${metric.outcome_ids[0]}`);
    return { metric, scope, mission: outcome.mission_id };
  })();
  return seeded;
}

/** A list's rows in a downloaded CSV, by id, against the API's JSON of the same list. */
function expectSameIds(text: string, items: { id: string }[]): Record<string, string>[] {
  const { header, rows } = records(text);
  expect(header).toContain("id");
  expect(rows.map((r) => r["id"])).toEqual(items.map((i) => i.id));
  return rows;
}

describe("downloads", () => {
  it("downloads the whole directory, with the filters shown, from any page", async () => {
    await page.goto(`${APP}/stakeholders`);
    const all = await everything<S["Stakeholder"]>("/stakeholders");
    expect(all.length).toBeGreaterThan(25); // more than one page: the file must hold them all
    await page.getByRole("link", { name: "Next page" }).click();
    await page.waitForURL(/cursor=/);
    const file = await download(page, page.getByRole("button", { name: "Download organisations as CSV" }));
    expect(file.name).toMatch(/^stakeholders-\d{8}\.csv$/);
    expect(file.asked).toEqual([`${API}/api/v1/stakeholders?format=csv`]);
    const rows = expectSameIds(file.bytes.toString("utf8"), all);
    expect(rows.map((r) => r["name"])).toEqual(all.map((s) => s.name));
    await page.getByText(`Downloaded ${file.name}.`).waitFor();

    // Filtered: the file holds what the filters give.
    await page.goto(`${APP}/stakeholders?kind=university&q=university`);
    await page.locator("tbody tr").first().waitFor();
    const universities = await everything<S["Stakeholder"]>("/stakeholders?kind=university&q=university");
    const filtered = await download(page, page.getByRole("button", { name: "Download organisations as CSV" }));
    expect(filtered.asked).toEqual([`${API}/api/v1/stakeholders?q=university&kind=university&format=csv`]);
    expectSameIds(filtered.bytes.toString("utf8"), universities);
    // The spreadsheet too: an XLSX workbook (a zip).
    const book = await download(page, page.getByRole("button", { name: "Download organisations as XLSX" }));
    expect(book.name).toMatch(/^stakeholders-\d{8}\.xlsx$/);
    expect(book.bytes.subarray(0, 2).toString("latin1")).toBe("PK");
    await check(page, "directory-downloaded");
  });

  it("downloads the support schemes with the filters shown, saying so while it prepares the file", async () => {
    const missions = await api<Page_<S["Mission"]>>("/missions?sort=code");
    await page.goto(`${APP}/support?status=any`);
    const schemes = await everything<S["SupportScheme"]>("/support-schemes");
    await page.getByRole("heading", { level: 2, name: schemes[0]!.name }).waitFor();
    // Held back a moment, so that the wait can be seen.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/support-schemes\?.*format=csv/, async (route) => (await held, route.continue()));
    const button = page.getByRole("button", { name: "Download support schemes as CSV" });
    const file = await download(page, button, async () => {
      await button.click();
      await page.getByRole("status").filter({ hasText: "Preparing support schemes as CSV…" }).waitFor();
      release();
    });
    await page.unroute(/\/support-schemes\?.*format=csv/);
    expect(file.name).toMatch(/^support-schemes-\d{8}\.csv$/);
    expectSameIds(file.bytes.toString("utf8"), schemes);

    // One mission's, open ones only (the default): the file follows the filters.
    await page.goto(`${APP}/support?mission=${missions.items[0]!.id}`);
    await page.getByRole("heading", { level: 1, name: "Support" }).waitFor();
    const open = await everything<S["SupportScheme"]>(`/support-schemes?status=open&mission=${missions.items[0]!.id}`);
    const filtered = await download(page, page.getByRole("button", { name: "Download support schemes as CSV" }));
    expect(filtered.asked).toEqual([`${API}/api/v1/support-schemes?status=open&mission=${missions.items[0]!.id}&format=csv`]);
    expectSameIds(filtered.bytes.toString("utf8"), open);
  });

  it("downloads a metric chart's observations, for the area and breakdown it shows", async () => {
    const { metric, scope, mission } = await seedChart();
    await page.goto(`${APP}/missions/${mission}`);
    const section = page.getByRole("region", { name: metric.name, exact: true });
    await section.getByRole("img", { name: new RegExp(`^${metric.name} in ${scope.area_name} over time`) }).waitFor();
    const name = `Download the observations of ${metric.name} in ${scope.area_name} as CSV`;
    const file = await download(page, section.getByRole("button", { name, exact: true }));
    expect(file.name).toMatch(/^observations-\d{8}\.csv$/);
    const totals = await everything<S["Observation"]>(`/metrics/${metric.id}/observations?area=${scope.area_id}&breakdown=total&sort=date`);
    expect(totals.map((o) => o.value)).toEqual(["9", "7", "5"]);
    const rows = expectSameIds(file.bytes.toString("utf8"), totals);
    // Quoted as RFC 4180 says, read back as written.
    expect(rows.map((r) => [r["date"], r["value"], r["source"], r["flags"], r["note"], r["breakdown"]])).toEqual(
      totals.map((o) => [o.date, o.value, SOURCE, o.flags.join(";"), o.note ?? "", ""]),
    );

    await section.getByLabel("Breakdown").selectOption({ label: "setting rural (2 observations)" });
    const part = `Download the observations of ${metric.name} in ${scope.area_name}, setting rural as CSV`;
    const rural = await download(page, section.getByRole("button", { name: part, exact: true }));
    const expected = await everything<S["Observation"]>(`/metrics/${metric.id}/observations?area=${scope.area_id}&breakdown=setting%3Arural&sort=date`);
    expect(expected).toHaveLength(2);
    expect(expectSameIds(rural.bytes.toString("utf8"), expected).map((r) => r["breakdown"])).toEqual(["setting:rural", "setting:rural"]);
  });

  it("makes a CSV of a computed table from the rows it shows (the mission's outcomes)", async () => {
    const { mission } = await seedChart();
    await page.goto(`${APP}/missions/${mission}`);
    const table = page.locator("table", { has: page.getByText("Each outcome's metrics rolled up") });
    await table.locator("tbody tr").first().waitFor();
    const shown = await table.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (c) => (c as HTMLElement).innerText.trim())));
    const file = await download(page, page.getByRole("button", { name: "Download the outcomes table as CSV" }));
    expect(file.name).toMatch(/^mission-outcomes-\d{8}\.csv$/);
    expect(file.asked).toEqual([]); // made in the page, from what it shows
    const [header, ...rows] = parseCsv(file.bytes.toString("utf8"));
    expect(header).toEqual(["Outcome", "Status", "Progress", "Its metrics, area by area", "Collaborations"]);
    expect(rows).toEqual(shown.map((cells) => cells.map((c) => (c === "—" ? "" : c))));
  });

  it("reaches and activates a Download from the keyboard alone", async () => {
    await page.goto(`${APP}/stakeholders?kind=university`);
    await page.locator("tbody tr").first().waitFor();
    await page.getByLabel("Search").focus();
    const target = "Download organisations as CSV";
    const named = () => page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el?.tagName === "BUTTON" ? el.innerText.replace(/\s+/g, " ").trim() : "";
    });
    let presses = 0;
    while ((await page.getByRole("button", { name: target }).evaluate((b) => b !== document.activeElement)) && presses++ < 20) {
      await page.keyboard.press("Tab");
    }
    expect(presses).toBeLessThan(20);
    expect(await named()).toBe("Download organisations as CSV"); // the hidden words are read with the visible "CSV"
    // Its focus is seen: the app's yellow ring.
    const ring = await page.evaluate(() => {
      const el = document.activeElement!;
      return { visible: el.matches(":focus-visible"), outline: getComputedStyle(el).outlineStyle };
    });
    expect(ring).toEqual({ visible: true, outline: "solid" });
    const file = await download(page, page.getByRole("button", { name: target }), () => page.keyboard.press("Enter"));
    expect(file.name).toMatch(DAY);
    expectSameIds(file.bytes.toString("utf8"), await everything<S["Stakeholder"]>("/stakeholders?kind=university"));
  });

  it("says why, when the API refuses the file", async () => {
    const sector = "x".repeat(101); // longer than the API takes: the list and its file are both refused
    expectFailedResponse(422, "GET", new RegExp(`/api/v1/stakeholders\\?.*sector=${sector}`));
    await page.goto(`${APP}/stakeholders?sector=${sector}`);
    await page.getByRole("alert").first().waitFor();
    await page.getByRole("button", { name: "Download organisations as CSV" }).click();
    const alert = page.getByRole("alert").filter({ hasText: "Organisations not downloaded" });
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/^Organisations not downloaded: sector: .*100/);
    await check(page, "download-refused");
  });

  it("downloads what the signed-in user may see: drafts, with their credentials", async () => {
    const admin = await signIn(process.env.E2E_ADMIN_EMAIL!, process.env.E2E_ADMIN_PASSWORD!);
    const title = "Draft: a download test story, with a comma";
    await api("/stories", { method: "POST", body: JSON.stringify({ title, kind: "lesson", summary: 'Said "twice", on two lines\nhere.' }), ...bearer(admin) });
    const drafts = await everything<S["Story"]>("/stories?publication=draft", { Authorization: `Bearer ${admin}` });
    expect(drafts.map((s) => s.title)).toContain(title);

    await page.goto(`${APP}/sign-in?next=${encodeURIComponent("/stories?publication=draft")}`);
    await page.getByLabel("E-mail address").fill(process.env.E2E_ADMIN_EMAIL!);
    await page.getByLabel("Password").fill(process.env.E2E_ADMIN_PASSWORD!);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 2, name: title }).waitFor();
    const [file, request] = await Promise.all([
      download(page, page.getByRole("button", { name: "Download draft stories as CSV" })),
      page.waitForRequest((r) => r.url().includes("/api/v1/stories?") && r.url().includes("format=csv") && r.method() === "GET"),
    ]);
    expect(await request.headerValue("authorization")).toMatch(/^Bearer /);
    expect(file.asked).toEqual([`${API}/api/v1/stories?publication=draft&format=csv`]);
    const rows = expectSameIds(file.bytes.toString("utf8"), drafts);
    expect(rows.find((r) => r["title"] === title)?.["summary"]).toBe('Said "twice", on two lines\nhere.');
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("link", { name: "Sign in" }).waitFor();
  });
});

describe("an embedded figure", () => {
  it("offers the HTML to embed a metric's chart, for the area and breakdown chosen", async () => {
    const { metric, scope, mission } = await seedChart();
    await page.goto(`${APP}/missions/${mission}`);
    const section = page.getByRole("region", { name: metric.name, exact: true });
    await section.getByRole("img", { name: new RegExp(`^${metric.name} in ${scope.area_name} over time`) }).waitFor();
    await section.getByText("Embed this chart").click();
    const code = section.getByLabel("HTML to paste into your page");
    const src = `${APP}/embed/metrics/${metric.id}?area=${scope.area_code}`;
    expect(await code.inputValue()).toBe(
      `<iframe src="${src}" title="${metric.name} in ${scope.area_name}: chart and figures" width="100%" height="720" style="border: 0" loading="lazy"></iframe>`,
    );
    await section.getByLabel("Breakdown").selectOption({ label: "setting rural (2 observations)" });
    expect(await code.inputValue()).toContain(`src="${src}&amp;breakdown=setting%3Arural"`);
    await check(page, "mission-embed-code");
  });

  it("shows only the chart and its table, what it measures, its source and last update, with a link back", async () => {
    const { metric, scope, mission } = await seedChart();
    await page.goto(`${APP}/embed/metrics/${metric.id}?area=${scope.area_code}`);
    await page.getByRole("heading", { level: 1, name: metric.name }).waitFor();
    await page.getByRole("img", { name: new RegExp(`^${metric.name} in ${scope.area_name} over time`) }).waitFor();
    expect(await page.title()).toBe(`${metric.name} · Roadmap Tracker`);
    // No navigation, no sign-in: one main landmark and the figure.
    expect(await page.locator("nav, header, .skip").count()).toBe(0);
    expect(await page.getByRole("main").count()).toBe(1);
    expect(await page.getByRole("link", { name: "Sign in" }).count()).toBe(0);
    await page.getByText(`Unit: ${metric.unit}.`).waitFor();
    const totals = await everything<S["Observation"]>(`/metrics/${metric.id}/observations?area=${scope.area_id}&breakdown=total&sort=date`);
    const newest = totals.map((o) => o.updated_at).sort().at(-1)!;
    const updated = new Date(newest).toLocaleDateString("en-GB", { dateStyle: "long" });
    await page.getByText(new RegExp(`Sources?: .*${SOURCE.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}.*Latest figure: 2024-03-31\\. Last updated ${updated}\\.`)).waitFor();
    // The table is open: the chart's accessible alternative.
    const table = page.getByRole("table", { name: `${metric.name} in ${scope.area_name}` });
    await table.waitFor();
    expect(await table.getByRole("row", { name: /Observation/ }).count()).toBe(3);
    const back = page.getByRole("link", { name: `${metric.name} in the Roadmap Tracker (opens in a new tab)` });
    expect(await back.getAttribute("href")).toBe(`/missions/${mission}#metric-${metric.id}`);
    await check(page, "embed-metric");

    // Its own download: the observations shown, as anyone may see them.
    const file = await download(page, page.getByRole("button", { name: `Download the observations of ${metric.name} in ${scope.area_name} as CSV` }));
    expect(file.asked).toEqual([`${API}/api/v1/metrics/${metric.id}/observations?area=${scope.area_id}&breakdown=total&sort=date&format=csv`]);
    expectSameIds(file.bytes.toString("utf8"), totals);
  });

  it("takes a breakdown, says when an area has no figures, and is read without anyone's sign-in", async () => {
    const { metric, scope } = await seedChart();
    await page.goto(`${APP}/embed/metrics/${metric.id}?area=${scope.area_id}&breakdown=setting%3Arural`);
    await page.getByRole("img", { name: new RegExp(`^${metric.name} in ${scope.area_name}, setting rural over time`) }).waitFor();
    const table = page.getByRole("table", { name: `${metric.name} in ${scope.area_name}, setting rural` });
    expect(await table.getByRole("row", { name: /Observation/ }).count()).toBe(2);
    await page.getByText("Breakdown: setting rural.").waitFor();

    const elsewhere = (await api<Page_<S["Area"]>>("/areas?kind=uk")).items[0]!;
    await page.goto(`${APP}/embed/metrics/${metric.id}?area=${elsewhere.code}`);
    await page.getByText(`No figures for ${metric.name} in ${elsewhere.name} yet.`).waitFor();
    await page.goto(`${APP}/embed/metrics/${metric.id}?breakdown=nothing%3Ahere`);
    await page.getByText(`${metric.name} has no figures for the breakdown “nothing:here”.`).waitFor();
    await check(page, "embed-metric-no-breakdown");
  });
});
