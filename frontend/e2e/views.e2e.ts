import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";

import type { components } from "../src/lib/api/schema";
import { qualified } from "../src/lib/chart";
import { directionWords, sparseNote, yearWords } from "../src/lib/coverage";
import { methodWords, networkWords, strengthWords, strongest } from "../src/lib/network";
import { METHOD_WORDS, countWords, progressWords, scopeLabel, staleWords, summaryLabel } from "../src/lib/status";
import { notes } from "../src/lib/values";
import { API, APP, api, bearer, check, expectFailedRequest, signIn, withPage } from "./browser";

type Named = { id: string; code?: string; title?: string; name?: string };
type Page_<T> = { items: T[]; next_cursor: string | null };
type S = components["schemas"];

let page: Page;
withPage((opened) => (page = opened));

type Flag = "provisional" | "estimated" | "revised" | "break_in_series";
type Value = { date: string; value: string; flags?: Flag[]; note?: string; breakdown?: Record<string, string> };
const FLAGGED: Value[] = [
  { date: "2022-06-30", value: "18" },
  { date: "2023-06-30", value: "16", flags: ["provisional"], note: "Survey still open" },
  { date: "2024-06-30", value: "25", flags: ["break_in_series"], note: "New survey question" },
  { date: "2025-06-30", value: "24", flags: ["revised"] },
  { date: "2022-06-30", value: "40", breakdown: { age: "65+" } },
  { date: "2023-06-30", value: "35", flags: ["estimated"], breakdown: { age: "65+" } },
];
/** The UK's figure, which the regions are compared with. */
const UK_FLAGGED: Value = { date: "2025-06-30", value: "20", flags: ["estimated"], note: "Modelled from the survey" };
let flaggedMetric: Promise<{ metric: Named; areaName: string }> | undefined;

/** A metric's mission: the page that lists it. */
async function missionOf(metricId: string): Promise<string> {
  const outcome = (await api<{ outcome_ids: string[] }>(`/metrics/${metricId}`)).outcome_ids[0]!;
  return (await api<{ mission_id: string }>(`/outcomes/${outcome}`)).mission_id;
}

/** Each mission's roll-up, as the dashboard and mission pages say it. */
async function rollUps(): Promise<{ mission: Named; progress: S["RolledUpProgress"] }[]> {
  const missions = await api<Page_<Named>>("/missions?sort=code");
  return Promise.all(missions.items.map(async (mission) => ({ mission, progress: await api<S["RolledUpProgress"]>(`/missions/${mission.id}/progress`) })));
}

let boundedScope: Promise<{ fibre: S["Metric"]; area: string; other: S["Metric"] }> | undefined;

/**
 * Full fibre in Dudley, whose baseline is "under 15": a target, and one figure since, from 2024 (stale
 * on an annual metric, and a year only Dudley reports: sparse). Judged from the bound, its progress is a
 * range and its status uncertain. And a second metric judged by Open SDG's progress measure.
 */
function seedBoundedScope() {
  boundedScope ??= (async () => {
    const admin = await signIn(process.env.E2E_ADMIN_EMAIL!, process.env.E2E_ADMIN_PASSWORD!);
    const fibre = (await api<Page_<S["Metric"]>>("/metrics?q=full%20fibre")).items.find((m) => m.code === "full-fibre-coverage")!;
    const dudley = (await api<Page_<Named>>("/areas?q=Dudley&kind=local_authority")).items[0]!;
    const value = { area_id: dudley.id, source: "e2e: a bounded scope" };
    await api(`/metrics/${fibre.id}/targets`, { method: "POST", body: JSON.stringify({ ...value, value: "60", date: "2030-12-31" }), ...bearer(admin) });
    await api(`/metrics/${fibre.id}/observations`, { method: "POST", body: JSON.stringify({ ...value, value: "20", date: "2024-06-30" }), ...bearer(admin) });
    const limited = (await api<Page_<S["Metric"]>>("/metrics?q=Limited%20internet")).items.find((m) => m.code === "limited-internet-users")!;
    const headers = bearer(admin, { "If-Match": `"${limited.version}"` });
    const other = await api<S["Metric"]>(`/metrics/${limited.id}`, { method: "PATCH", body: JSON.stringify({ progress_method: "open_sdg" }), ...headers });
    return { fibre, area: dudley.name!, other };
  })();
  return boundedScope;
}

/** Non-internet users in its baseline's area: values flagged as the publishers flag them, and a breakdown by age; and the UK's, flagged too. */
function seedFlaggedMetric() {
  flaggedMetric ??= (async () => {
    const admin = await signIn(process.env.E2E_ADMIN_EMAIL!, process.env.E2E_ADMIN_PASSWORD!);
    const metric = (await api<Page_<Named>>("/metrics?q=Non-internet")).items.find((m) => m.code === "non-internet-users")!;
    const scope = (await api<{ items: { area_id: string; area_name: string }[] }>(`/metrics/${metric.id}/progress`)).items[0]!;
    for (const v of FLAGGED) {
      const body = JSON.stringify({ ...v, area_id: scope.area_id, source: "e2e: flagged values" });
      await api(`/metrics/${metric.id}/observations`, { method: "POST", body, ...bearer(admin) });
    }
    const uk = (await api<Page_<Named>>("/areas?kind=uk")).items[0]!;
    const body = JSON.stringify({ ...UK_FLAGGED, area_id: uk.id, source: "e2e: flagged values" });
    await api(`/metrics/${metric.id}/observations`, { method: "POST", body, ...bearer(admin) });
    return { metric, areaName: scope.area_name };
  })();
  return flaggedMetric;
}

/** Boards, working groups and events left out, as the network view's checkbox asks for them. */
const GOVERNANCE_OUT = "exclude=board&exclude=event&exclude=working_group";
const LEAVE_OUT = "Leave out boards, working groups and events";

/** The network page as the API answers it: the count (read out), how it is counted, the strongest in the table. */
async function expectNetwork(network: S["Network"]): Promise<void> {
  // Read out: the count is a live region, outside what each answer redraws.
  const counted = page.getByText(networkWords(network.nodes.length, network.edges.length, network.excluded_kinds), { exact: true });
  await counted.waitFor();
  expect(await counted.getAttribute("role")).toBe("status");
  const method = page.locator("details", { has: page.getByText("How this is counted", { exact: true }) });
  if (!(await method.evaluate((d: HTMLDetailsElement) => d.open))) await method.getByText("How this is counted", { exact: true }).click();
  await method.getByText(methodWords(network.method), { exact: true }).waitFor();
  const shown = strongest(network.nodes, 25);
  if (shown.length === 0) return page.getByText("No organisations match these filters.").waitFor();
  const rows = page.locator("table tbody tr");
  await rows.first().getByRole("link", { name: shown[0]!.name, exact: true }).waitFor();
  expect(await rows.count()).toBe(shown.length);
  // Ranked by strength, each with its partners and strength.
  expect(await rows.evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (c) => (c as HTMLElement).innerText.trim())))).toEqual(
    shown.map((n) => [n.name, n.kind.replaceAll("_", " "), String(n.degree), strengthWords(n.strength)]),
  );
}

/** An organisation's schemes in three groups, counted as the API's `eligibility` sorts them. */
async function expectMatchGroups(org: Named): Promise<void> {
  const matches = await api<Page_<S["Match"]>>(`/support-schemes/match?stakeholder=${org.id}&include_ineligible=true&limit=100`);
  const having = (e: S["Eligibility"]) => matches.items.filter((m) => m.eligibility === e);
  await page.goto(`${APP}/stakeholders/${org.id}`);
  await page.getByRole("link", { name: "Every scheme, and why the others do not fit" }).click();
  await page.getByRole("heading", { level: 2, name: `For ${org.name}`, exact: true }).waitFor();
  const eligible = having("eligible");
  await page.getByRole("heading", { level: 3, name: `Eligible (${eligible.length})`, exact: true }).waitFor();
  if (eligible.length) await page.getByRole("heading", { level: 4, name: eligible[0]!.name, exact: true }).waitFor();
  // The other two groups appear only when they have schemes: each one's reasons, in words.
  const groups: [string, S["Match"][], (m: S["Match"]) => string[]][] = [
    ["May be eligible", having("unknown"), (m) => m.unknown],
    ["Not eligible", having("ineligible"), (m) => m.unmet],
  ];
  for (const [name, items, reasons] of groups) {
    if (items.length === 0) {
      expect(await page.getByRole("heading", { level: 3, name: new RegExp(`^${name} \\(`) }).count()).toBe(0);
      continue;
    }
    await page.getByRole("heading", { level: 3, name: `${name} (${items.length})`, exact: true }).waitFor();
    const first = items[0]!;
    const item = page.getByRole("listitem").filter({ has: page.getByText(first.name, { exact: true }) });
    expect((await item.innerText()).trim()).toBe(`${first.name}: ${reasons(first).join(" ")}`);
  }
}

/** On the dashboard: each mission's status and counts in words, and each of its outcomes'. */
async function expectRollUpsInWords(): Promise<void> {
  for (const { mission, progress } of await rollUps()) {
    const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { level: 2, name: `${mission.code}: ${mission.title}` }) });
    await card.locator(".badge").first().filter({ hasText: summaryLabel(progress.summary) }).waitFor();
    const counted = countWords(progress.summary);
    if (counted) await card.getByText(`Its metrics, area by area: ${counted}.`, { exact: true }).waitFor();
    for (const outcome of progress.parts) {
      const item = card.getByRole("listitem").filter({ hasText: `${outcome.code} ${outcome.name}:` });
      await item.locator(".badge").filter({ hasText: summaryLabel(outcome.summary) }).waitFor();
      if (countWords(outcome.summary)) await item.getByText(`${countWords(outcome.summary)}.`, { exact: true }).waitFor();
    }
  }
}

describe("the web app against the seeded API", () => {
  it("shows the five missions with their status, and measures the render", async () => {
    const missions = await api<Page_<Named>>("/missions?sort=code");
    const started = Date.now();
    await page.goto(`${APP}/`);
    await page.getByRole("heading", { level: 2, name: /^M5:/ }).waitFor();
    console.log(`dashboard rendered in ${Date.now() - started} ms`);
    const headings = await page.getByRole("heading", { level: 2 }).allTextContents();
    expect(headings).toEqual(missions.items.map((m) => `${m.code}: ${m.title}`));
    await expectRollUpsInWords();
    await check(page, "dashboard");
  });

  it("walks from a mission card to its page", async () => {
    await page.getByRole("link", { name: /^M4:/ }).click();
    await page.getByRole("heading", { level: 1, name: /^M4:/ }).waitFor();
    expect(page.url()).toMatch(/\/missions\//);
    await page.getByRole("heading", { name: "Activity serving it" }).waitFor();
    const missionId = page.url().split("/missions/")[1]!;
    const metrics = await api<Page_<Named>>(`/metrics?mission=${missionId}&limit=100`);
    expect(await page.locator("section.metric h3").allTextContents()).toEqual(metrics.items.map((m) => m.name));
    if (metrics.items.length > 0) await page.locator("section.metric svg").first().waitFor();
    // The roll-up's counts in words, and how each metric is judged.
    const progress = await api<S["RolledUpProgress"]>(`/missions/${missionId}/progress`);
    const counted = countWords(progress.summary);
    if (counted) await page.getByText(`Its metrics, area by area: ${counted}.`, { exact: true }).waitFor();
    for (const metric of metrics.items as S["Metric"][]) {
      await page.getByRole("region", { name: metric.name, exact: true }).getByText(`${METHOD_WORDS[metric.progress_method]}.`, { exact: true }).waitFor();
    }
    await check(page, "mission");
    await page.goBack();
    await page.getByRole("heading", { level: 1, name: "The region's digital roadmap" }).waitFor();
  });

  it("opens a collaboration from its mission, with who takes part", async () => {
    const lead = (await api<Page_<Named>>("/stakeholders?q=Coventry%20University")).items[0]!;
    const collaboration = (await api<Page_<Named & { outcome_ids: string[] }>>(`/collaborations?stakeholder=${lead.id}&q=Focus`)).items[0]!;
    const outcome = await api<{ mission_id: string }>(`/outcomes/${collaboration.outcome_ids[0]}`);
    const members = await api<Page_<Named>>(`/collaborations/${collaboration.id}/participants?limit=500`);
    await page.goto(`${APP}/missions/${outcome.mission_id}`);
    await page.getByRole("link", { name: collaboration.title!, exact: true }).click();
    await page.getByRole("heading", { level: 1, name: collaboration.title! }).waitFor();
    await page.getByRole("heading", { name: `Who takes part (${members.items.length})` }).waitFor();
    await page.getByRole("link", { name: lead.name!, exact: true }).waitFor();
    await check(page, "collaboration");
  });

  it("searches the directory as you type and opens an organisation", async () => {
    await page.goto(`${APP}/stakeholders`);
    await page.getByLabel("Search").fill("Aston");
    await page.waitForURL(/q=Aston/);
    // A search is the same page: focus stays in the box, and the page keeps its title.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("q");
    expect(await page.title()).toBe("Organisations · Roadmap Tracker");
    const expected = await api<Page_<Named>>("/stakeholders?q=Aston");
    const link = page.getByRole("link", { name: expected.items[0]!.name! });
    await link.waitFor();
    await check(page, "directory");
    await link.click();
    await page.getByRole("heading", { level: 1, name: expected.items[0]!.name! }).waitFor();
    // A new page: its heading takes focus (read out by screen readers) and names the tab.
    await page.waitForFunction(() => document.activeElement?.tagName === "H1");
    expect(await page.title()).toBe(`${expected.items[0]!.name!} · Roadmap Tracker`);
    const id = expected.items[0]!.id;
    const collaborations = await api<Page_<Named>>(`/collaborations?stakeholder=${id}&limit=100`);
    await page.getByRole("heading", { name: `Collaborations (${collaborations.items.length})` }).waitFor();
    const partners = await api<Page_<Named>>(`/stakeholders?partner_of=${id}&limit=200`);
    await page.getByRole("heading", { name: `Partners (${partners.items.length})` }).waitFor();
    for (const partner of partners.items) await page.getByRole("link", { name: partner.name!, exact: true }).first().waitFor();
    await check(page, "stakeholder");
  });

  it("filters the directory by mission and area, in the URL", async () => {
    const missions = await api<Page_<Named>>("/missions?sort=code");
    const m1 = missions.items[0]!;
    await page.goto(`${APP}/stakeholders`);
    await page.getByLabel("Mission").selectOption({ label: `${m1.code}: ${m1.title}` });
    await page.waitForURL(new RegExp(`mission=${m1.id}`));
    const expected = await api<Page_<Named>>(`/stakeholders?mission=${m1.id}&limit=25`);
    if (expected.items.length === 0) await page.getByText("No organisation matches").waitFor();
    else await page.getByRole("link", { name: expected.items[0]!.name!, exact: true }).waitFor();
    expect(await page.locator("tbody tr").count()).toBe(expected.items.length);
  });

  it("shades the region's tile map by a metric, with the figures as a table", async () => {
    const metrics = await api<Page_<Named>>("/metrics?q=full%20fibre");
    const fibre = metrics.items[0]!;
    type Compared = { items: { area_name: string; value: string; qualifier: string }[] };
    const expected = await api<Compared>(`/metrics/${fibre.id}/comparison?level=local_authority`);
    await page.goto(`${APP}/region`);
    await page.getByLabel("Metric").selectOption({ label: fibre.name! });
    await page.waitForURL(/metric=/);
    await page.getByText(/by authority/).waitFor();
    await page.getByText("The figures as a table").click();
    for (const item of expected.items) {
      await page.getByRole("row", { name: `${item.area_name} ${qualified(item.value, item.qualifier)}` }).first().waitFor();
    }
    await check(page, "region");
  });

  it("marks flagged values in a metric's chart and table, breaks its line, and redraws it for a breakdown", async () => {
    const { metric, areaName } = await seedFlaggedMetric();
    const outcome = (await api<{ outcome_ids: string[] }>(`/metrics/${metric.id}`)).outcome_ids[0]!;
    const { mission_id } = await api<{ mission_id: string }>(`/outcomes/${outcome}`);
    await page.goto(`${APP}/missions/${mission_id}`);
    const section = page.getByRole("region", { name: metric.name, exact: true });
    const chart = section.getByRole("img", { name: new RegExp(`^${metric.name} in ${areaName} over time`) });
    await chart.waitFor();
    // The total only: four values, in two pieces either side of the break, nothing joining them.
    expect(await chart.locator("polyline").count()).toBe(2);
    const key = section.getByRole("list", { name: "Key to the chart" });
    expect((await key.getByRole("listitem").allTextContents()).map((t) => t.trim())).toEqual([
      "Measured",
      "Provisional",
      "Revised",
      "Break in series: the line is not joined across it",
    ]);
    await section.getByText("The figures as a table").click();
    const totals = FLAGGED.filter((v) => !v.breakdown);
    for (const v of totals) {
      await section.getByRole("row", { name: `${v.date} ${v.value} Observation ${notes(v)}`.trim() }).first().waitFor();
    }
    expect(await section.getByRole("row", { name: /Observation/ }).count()).toBe(totals.length);
    await check(page, "mission-flagged");

    await section.getByLabel("Breakdown").selectOption({ label: "age 65+ (2 observations)" });
    await section.getByText(`No baseline recorded for age 65+ in ${areaName}: its figures are drawn without one.`).waitFor();
    await section.getByRole("img", { name: new RegExp(`^${metric.name} in ${areaName}, age 65\\+ over time`) }).waitFor();
    await section.getByText("The figures as a table").click();
    await section.getByRole("row", { name: "2023-06-30 35 Observation Estimated" }).waitFor();
    expect(await section.getByRole("row", { name: /Observation/ }).count()).toBe(2);
    await check(page, "mission-breakdown");
  });

  it("compares a breakdown across the regions, starring flagged values", async () => {
    const { metric, areaName } = await seedFlaggedMetric();
    await page.goto(`${APP}/region?metric=${metric.id}`);
    await page.getByText(/across UK regions/).waitFor();
    await page.getByText("Lower is better", { exact: true }).waitFor();
    await page.getByText(/^\*: provisional, estimated, revised or a break in series/).waitFor();
    await page.getByText("The figures as a table").click();
    await page.getByRole("row", { name: new RegExp(`^${areaName} 24 .* 2025-06-30 Revised$`) }).waitFor();
    await page.getByText("UK: 20 (2025-06-30; Estimated. Modelled from the survey).").waitFor();

    await page.getByLabel("Breakdown").selectOption({ label: "age 65+ (2 observations)" });
    await page.waitForURL(/breakdown=age%3A65%2B/);
    await page.getByText(`${metric.name} across UK regions, age 65+, 2023`).waitFor();
    await page.getByText("The figures as a table").click();
    await page.getByRole("row", { name: new RegExp(`^${areaName} 35 .* 2023-06-30 Estimated$`) }).waitFor();
    await check(page, "region-breakdown");
  });

  it("shows the new states in words on the dashboard: stale, judged from a bound, uncertain", async () => {
    await seedBoundedScope();
    await page.goto(`${APP}/`);
    await page.getByRole("heading", { level: 2, name: /^M5:/ }).waitFor();
    await expectRollUpsInWords();
    const shown = (await page.locator(".cards").innerText()).replace(/\s+/g, " ");
    for (const words of ["Uncertain (a bound)", "No figures since the baseline"]) expect(shown).toContain(words);
    expect(shown).toMatch(/\d+ uncertain, .*; \d+ stale; \d+ judged from a bound\./);
    await check(page, "dashboard-states");
  });

  it("shows a stale scope judged from a bound as a range, with its reason and method, on its mission page", async () => {
    const { fibre, area, other } = await seedBoundedScope();
    const judged = await api<S["MetricProgress"]>(`/metrics/${fibre.id}/progress`);
    const scope = judged.items.find((i) => i.area_name === area)!;
    expect([scope.status, scope.stale, scope.bounded]).toEqual(["uncertain", true, true]);
    const missionId = await missionOf(fibre.id);
    await page.goto(`${APP}/missions/${missionId}`);
    const mission = await api<S["RolledUpProgress"]>(`/missions/${missionId}/progress`);
    await page.getByText(`Its metrics, area by area: ${countWords(mission.summary)}.`, { exact: true }).waitFor();
    const section = page.getByRole("region", { name: fibre.name, exact: true });
    await section.getByText(`${METHOD_WORDS.pace}.`, { exact: true }).waitFor();
    await section.getByText(`Area by area: ${countWords(judged.summary)}.`, { exact: true }).waitFor();
    await section.getByLabel("Area").selectOption({ label: area });
    await section.locator(".badge", { hasText: scopeLabel(scope) }).waitFor();
    expect(scopeLabel(scope)).toBe("Uncertain (a bound)");
    await section.getByText(staleWords(scope), { exact: true }).waitFor();
    expect(staleWords(scope)).toBe("stale: latest figure from 2024-06-30");
    const range = progressWords(scope.progress, scope.progress_range);
    expect(range).toMatch(/^between \d+% and \d+% of the way$/);
    await section.getByRole("img", { name: `Progress in ${area}: ${range} from baseline to target` }).waitFor();
    await section.getByText(scope.reason, { exact: true }).waitFor();
    await check(page, "mission-states");

    // Another mission's metric, judged by Open SDG's measure, says so.
    expect(other.progress_method).toBe("open_sdg");
    await page.goto(`${APP}/missions/${await missionOf(other.id)}`);
    await page.getByRole("region", { name: other.name, exact: true }).getByText(/^Judged by Open SDG's progress measure/).waitFor();
    await check(page, "mission-open-sdg");
  });

  it("says which way is better, how fully each year is reported, and when the year shown is sparse", async () => {
    const { fibre } = await seedBoundedScope();
    const compared = await api<S["Comparison"]>(`/metrics/${fibre.id}/comparison?level=local_authority`);
    await page.goto(`${APP}/region?metric=${fibre.id}`);
    await page.getByText("Higher is better", { exact: true }).waitFor();
    expect(directionWords(compared.direction)).toBe("Higher is better");
    await page.getByText(`${fibre.name} by authority, ${compared.period}`).waitFor();
    const year = page.getByLabel("Year (authorities)");
    const options = (await year.locator("option").allTextContents()).map((t) => t.trim());
    expect(options).toEqual([...compared.years].reverse().map((y) => yearWords(y, compared.group_size, "authorities")));
    const sparse = compared.years.find((y) => y.sparse && y.year !== compared.period)!;
    expect(yearWords(sparse, compared.group_size, "authorities")).toMatch(/: only \d+ of \d+ authorities reports?: sparse$/);
    expect(await page.locator(".note").count()).toBe(compared.sparse ? 1 : 0);

    await year.focus();
    await year.selectOption(String(sparse.year));
    await page.waitForURL(new RegExp(`year=${sparse.year}`));
    await page.getByText(`${fibre.name} by authority, ${sparse.year}`).waitFor();
    const shown = await api<S["Comparison"]>(`/metrics/${fibre.id}/comparison?level=local_authority&period=${sparse.year}`);
    expect(shown.sparse).toBe(true);
    await page.locator(".note", { hasText: `Note: ${sparseNote(shown, "authorities")}` }).waitFor();
    // The choice stays where it was made, for whoever chose with the keyboard.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("year");
    await check(page, "region-sparse");
  });

  it("draws the network with WebGL, weighted, says how it is counted and lists the strongest", async () => {
    const network = await api<S["Network"]>("/network");
    // By default every kind of collaboration counts, each of n participants' links weighted 1/(n-1).
    expect([network.weighting, network.excluded_kinds]).toEqual(["shared", []]);
    await page.goto(`${APP}/network`);
    await page.getByText(networkWords(network.nodes.length, network.edges.length, []), { exact: true }).waitFor();
    await page.locator(".graph canvas").first().waitFor();
    await page.getByText("Links are weighted by what the two share: each collaboration of n members adds 1/(n−1) to each of its links").waitFor();
    expect(await page.getByLabel(LEAVE_OUT).isChecked()).toBe(false);
    await expectNetwork(network);
    await page.getByText(`All ${network.nodes.length} organisations, by name`).click();
    await page.locator("details li a").nth(network.nodes.length - 1).waitFor();
    expect(await page.locator("details li a").count()).toBe(network.nodes.length);
    await check(page, "network");
  });

  it("filters the network by area", async () => {
    const areas = await api<Page_<Named>>("/areas?q=Coventry&kind=local_authority");
    const coventry = areas.items[0]!;
    const network = await api<S["Network"]>(`/network?area=${coventry.id}`);
    await page.goto(`${APP}/network`);
    await page.getByLabel("Area").selectOption({ label: coventry.name! });
    await page.waitForURL(/area=/);
    await page.getByText(networkWords(network.nodes.length, network.edges.length, network.excluded_kinds), { exact: true }).waitFor();
  });

  it("leaves boards, working groups and events out of the network from the keyboard, in the URL, and says so", async () => {
    const every = await api<S["Network"]>("/network");
    const left = await api<S["Network"]>(`/network?${GOVERNANCE_OUT}`);
    expect(left.excluded_kinds).toEqual(["board", "event", "working_group"]);
    // Governance and events make links of their own in the seed: leaving them out shows fewer.
    expect(left.edges.length).toBeLessThan(every.edges.length);
    await page.goto(`${APP}/network`);
    await expectNetwork(every);
    const box = page.getByLabel(LEAVE_OUT);
    await box.focus();
    await page.keyboard.press("Space");
    await page.waitForURL(/[?&]exclude=governance(&|$)/);
    await page.getByText(networkWords(left.nodes.length, left.edges.length, left.excluded_kinds), { exact: true }).waitFor();
    expect(await box.isChecked()).toBe(true);
    // The choice stays where it was made, for whoever chose with the keyboard.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("ngovernance");
    await expectNetwork(left);
    expect(methodWords(left.method)).toContain("every kind but board, event, working group");
    await check(page, "network-governance-out");

    // A link to the page keeps the choice, with the other filters.
    const areas = await api<Page_<Named>>("/areas?q=Coventry&kind=local_authority");
    const coventry = areas.items[0]!;
    await page.getByLabel("Area").selectOption({ label: coventry.name! });
    await page.waitForURL(/area=/);
    expect(page.url()).toMatch(/[?&]exclude=governance(&|$)/);
    await expectNetwork(await api<S["Network"]>(`/network?area=${coventry.id}&${GOVERNANCE_OUT}`));
    await page.reload();
    await expectNetwork(await api<S["Network"]>(`/network?area=${coventry.id}&${GOVERNANCE_OUT}`));
    expect(await page.getByLabel(LEAVE_OUT).isChecked()).toBe(true);

    // And back: every kind counted again.
    await page.getByLabel(LEAVE_OUT).focus();
    await page.keyboard.press("Space");
    await page.waitForURL((url) => !url.searchParams.has("exclude"));
    await expectNetwork(await api<S["Network"]>(`/network?area=${coventry.id}`));
  });

  it("lists the open support schemes, and what one organisation is eligible for", async () => {
    const schemes = await api<Page_<Named>>("/support-schemes?status=open&limit=25");
    await page.goto(`${APP}/support`);
    await page.getByRole("heading", { level: 1, name: "Support" }).waitFor();
    await page.getByRole("heading", { level: 2, name: schemes.items[0]!.name! }).waitFor();
    expect(await page.getByRole("heading", { level: 2 }).allTextContents()).toEqual(schemes.items.map((s) => s.name));
    await check(page, "support");

    const aston = (await api<Page_<Named>>("/stakeholders?q=Aston%20University")).items[0]!;
    await expectMatchGroups(aston);
    await check(page, "support-for");

    // And an organisation whose record cannot settle some schemes, if the API reports one.
    const organisations = await api<Page_<Named>>("/stakeholders?limit=500");
    for (const org of organisations.items) {
      const matches = await api<Page_<S["Match"]>>(`/support-schemes/match?stakeholder=${org.id}&include_ineligible=true&limit=100`);
      if (!matches.items.some((m) => m.eligibility === "unknown")) continue;
      await expectMatchGroups(org);
      await check(page, "support-for-unknown");
      return;
    }
    console.log("No organisation has a scheme its record cannot settle: 'May be eligible' not shown.");
  });

  it("lists the published stories, or says there are none yet", async () => {
    const stories = await api<Page_<Named>>("/stories");
    await page.goto(`${APP}/stories`);
    await page.getByRole("heading", { level: 1, name: "The Innovation Tracker" }).waitFor();
    if (stories.items.length === 0) await page.getByText("No published stories yet.").waitFor();
    else await page.getByRole("heading", { level: 2, name: stories.items[0]!.title! }).waitFor();
    await check(page, "stories");
  });

  it("says so when the API is down, and recovers when it is back", async () => {
    expectFailedRequest(`${API}/`);
    await page.route(`${API}/**`, (route) => route.abort("connectionrefused"));
    await page.goto(`${APP}/`);
    await page.getByRole("alert").getByText("The API cannot be reached").waitFor();
    await check(page, "api-down");
    await page.unroute(`${API}/**`);
    await page.getByRole("button", { name: "Try again" }).click();
    await page.getByRole("heading", { level: 2, name: /^M1:/ }).waitFor();
  });

  it("says so when a page does not exist", async () => {
    await page.goto(`${APP}/nowhere`);
    await page.getByRole("heading", { name: "Page not found" }).waitFor();
    await check(page, "not-found");
  });
});
