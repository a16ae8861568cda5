import { mkdirSync } from "node:fs";

import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";

import type { components } from "../src/lib/api/schema";
import { qualified } from "../src/lib/chart";
import { orderScopes } from "../src/lib/embed";
import { longDate, today } from "../src/lib/report";
import { summaryLabel } from "../src/lib/status";
import { APP, api, check, withPage } from "./browser";

type S = components["schemas"];
type Page_<T> = { items: T[]; next_cursor: string | null };

let page: Page;
withPage((opened) => (page = opened));

const ARTEFACTS = new URL("../test-artefacts/", import.meta.url).pathname;
const STAGES = [
  ["funded", "Funded"],
  ["seeking", "Seeking funding"],
  ["exploring", "Exploring"],
  ["unknown", "Funding not recorded"],
] as const;
/** The app's chrome, none of which belongs in a printed report. */
const CHROME = ["Skip to content", "Sign in", "Download", "Embed this chart", "Print this report", "Print the whole roadmap", "The figures as a table", "Roadmap Tracker", "Loading"];
/** A4 less print.css's margins (186 mm) in CSS px: the width a printed page lays out in. */
const PRINTED_WIDTH = Math.floor((186 / 25.4) * 96);

/** What a mission's report must say, from the API. */
type Mission = { mission: S["Mission"]; contributors: S["Contributors"]; metrics: S["Metric"][]; judged: S["MetricProgress"][] };

async function missionData(id: string): Promise<Mission> {
  const [mission, contributors, metrics] = await Promise.all([
    api<S["Mission"]>(`/missions/${id}`),
    api<S["Contributors"]>(`/missions/${id}/contributors`),
    api<Page_<S["Metric"]>>(`/metrics?mission=${id}&limit=100`),
  ]);
  const judged = await Promise.all(metrics.items.map((m) => api<S["MetricProgress"]>(`/metrics/${m.id}/progress`)));
  return { mission, contributors, metrics: metrics.items, judged };
}

/** Words compared without their spacing: a PDF's text runs split and join lines where its layout does. */
const squeeze = (text: string) => text.replace(/\s+/g, "");

/** Chromium's print to PDF of the page as it stands, saved to test-artefacts/; its text, page by page. */
async function printed(name: string): Promise<string[]> {
  mkdirSync(ARTEFACTS, { recursive: true });
  const bytes = await page.pdf({ path: `${ARTEFACTS}${name}.pdf`, preferCSSPageSize: true });
  const pdf = await getDocument({ data: new Uint8Array(bytes) }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ("str" in item ? item.str + (item.hasEOL ? "\n" : " ") : "")).join(""));
  }
  await pdf.destroy();
  return pages;
}

/** Every mission's report on the page has its figures: no "Loading…" left. */
async function loaded(missions: Mission[]): Promise<void> {
  const metrics = missions.reduce((n, m) => n + m.metrics.length, 0);
  const wanted = missions.map((m) => `${m.mission.code}: ${m.mission.title}`);
  await page.waitForFunction(
    ({ metrics, wanted }) => {
      const headings = Array.from(document.querySelectorAll("main h1, main h2")).map((h) => h.textContent?.trim());
      return (
        wanted.every((w) => headings.includes(w)) &&
        document.querySelectorAll("section.metric").length === metrics &&
        document.querySelector("main p.state[aria-live]") === null
      );
    },
    { metrics, wanted },
  );
}

/** Laid out as a printed page is: nothing wider than the page, and each metric's table shown under its chart. */
async function expectPrintLayout(): Promise<void> {
  const viewport = page.viewportSize()!;
  await page.setViewportSize({ width: PRINTED_WIDTH, height: viewport.height });
  await page.emulateMedia({ media: "print" });
  try {
    const layout = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      charts: Array.from(document.querySelectorAll("section.metric svg[role=img]")).map((svg) => svg.getBoundingClientRect().right),
      tables: Array.from(document.querySelectorAll("section.metric")).map((section) => ({
        name: section.querySelector("h3, h4")?.textContent,
        charts: section.querySelectorAll("svg[role=img]").length,
        shown: Array.from(section.querySelectorAll("details.figures table")).filter((t) => t.checkVisibility()).length,
      })),
    }));
    const wide = await page.evaluate(
      (width) =>
        Array.from(document.querySelectorAll("main *"))
          .filter((e) => e.getBoundingClientRect().right > width + 0.5)
          .slice(0, 5)
          .map((e) => `${e.tagName.toLowerCase()}.${e.className} (${Math.round(e.getBoundingClientRect().right)} px)`),
      PRINTED_WIDTH,
    );
    expect(layout.page, `wider than the page: ${wide.join(", ")}`).toBeLessThanOrEqual(PRINTED_WIDTH);
    for (const right of layout.charts) expect(right).toBeLessThanOrEqual(PRINTED_WIDTH);
    for (const section of layout.tables) expect(section.shown, `${section.name}: a table for each chart, in print`).toBe(section.charts);
  } finally {
    await page.emulateMedia({ media: null });
    await page.setViewportSize(viewport);
  }
}

/** Where each mission's report starts in the squeezed text: its title, then the report's date line. */
function sections(text: string, missions: Mission[]): string[] {
  const starts = missions.map(({ mission }) => {
    const at = text.indexOf(squeeze(`${mission.code}: ${mission.title} Report of`));
    expect(at, `the report of ${mission.code} in the PDF`).toBeGreaterThanOrEqual(0);
    return at;
  });
  return starts.map((start) => text.slice(start, Math.min(...starts.filter((s) => s > start), text.length)));
}

/** One mission's printed report against the API: its date, outcomes and statuses, metrics with chart and table, activity by funding, sources. */
function expectMissionReport(text: string, pages: string[], { mission, contributors, metrics, judged }: Mission): void {
  const has = (words: string) => expect(text, `${mission.code}'s report says "${words}"`).toContain(squeeze(words));
  const dates = judged.flatMap((p) => p.items.flatMap((s) => [s.baseline?.date, s.latest?.date])).filter((d) => d !== undefined);
  const asOf = dates.sort().at(-1);
  has(asOf ? `Report of ${longDate(today())}, data as of ${longDate(asOf)} (its latest figure).` : `Report of ${longDate(today())}: no figures recorded yet.`);

  for (const outcome of contributors.outcomes) has(`${outcome.code} ${outcome.title} ${summaryLabel(outcome.progress)}`);

  metrics.forEach((metric, i) => {
    has(metric.name);
    has(`${metric.name}: ${metric.source ?? "source not recorded"}`);
    const scope = orderScopes(judged[i]!.items)[0];
    if (!scope) return;
    // The table under the chart, and the chart's own words (its baseline), on one page.
    const caption = squeeze(`${metric.name} in ${scope.area_name}`);
    has(`${metric.name} in ${scope.area_name}`);
    if (scope.baseline) {
      const line = squeeze(`baseline ${qualified(scope.baseline.value, scope.baseline.qualifier)}`);
      has(`baseline ${qualified(scope.baseline.value, scope.baseline.qualifier)}`);
      expect(pages.some((p) => squeeze(p).includes(line) && squeeze(p).includes(caption)), `${metric.name}'s chart and table on one page`).toBe(true);
    }
  });

  // Each collaboration under its funding status's heading, before the next heading.
  const activity = new Map(contributors.outcomes.flatMap((o) => o.collaborations).map((c) => [c.collaboration_id, c]));
  const groups = STAGES.map(([stage, label]) => ({ label, titles: [...activity.values()].filter((c) => (c.funding_status ?? "unknown") === stage).map((c) => c.title) })).filter(
    (g) => g.titles.length > 0,
  );
  const headings = groups.map((g) => text.indexOf(squeeze(`${g.label} (${g.titles.length})`), text.indexOf("Activityservingit")));
  groups.forEach((group, i) => {
    expect(headings[i], `${mission.code}'s "${group.label} (${group.titles.length})"`).toBeGreaterThan(0);
    const end = headings[i + 1] ?? text.length;
    for (const title of group.titles) {
      const at = text.indexOf(squeeze(title), headings[i]);
      expect(at > headings[i]! && at < end, `${mission.code}: "${title}" under "${group.label}"`).toBe(true);
    }
  });
  if (groups.length === 0) has("No activity recorded yet.");
}

function expectNoChrome(pages: string[]): void {
  const text = pages.join(" ").replace(/\s+/g, " ");
  for (const words of CHROME) expect(text, `"${words}" in the printed report`).not.toContain(words);
}

describe("the printed report", () => {
  it("prints a mission page as a report, with every figure and no chrome", async () => {
    const missions = await api<Page_<S["Mission"]>>("/missions?sort=code");
    const all = await Promise.all(missions.items.map((m) => missionData(m.id)));
    // The mission with the most to print: its funding stages, then its metrics.
    const stages = (m: Mission) => new Set(m.contributors.outcomes.flatMap((o) => o.collaborations.map((c) => c.funding_status ?? "unknown"))).size;
    const chosen = all.sort((a, b) => stages(b) - stages(a) || b.metrics.length - a.metrics.length)[0]!;
    expect(chosen.metrics.length).toBeGreaterThan(0);

    await page.goto(`${APP}/missions/${chosen.mission.id}`);
    await loaded([chosen]);
    // The button prints: the browser's print dialog, here counted instead.
    await page.evaluate(() => {
      const counted = window as unknown as { prints: number };
      counted.prints = 0;
      window.print = () => void counted.prints++;
    });
    await page.getByRole("button", { name: "Print this report" }).click();
    expect(await page.evaluate(() => (window as unknown as { prints: number }).prints)).toBe(1);

    await expectPrintLayout();
    const pages = await printed("report-mission");
    expectNoChrome(pages);
    const text = squeeze(pages.join(" "));
    expect(text.startsWith(squeeze(`${chosen.mission.code}: ${chosen.mission.title}`))).toBe(true);
    expectMissionReport(text, pages, chosen);
  });

  it("prints the whole roadmap from the dashboard, every mission in turn", async () => {
    await page.goto(`${APP}/`);
    await page.getByRole("link", { name: "Board report: print the whole roadmap" }).click();
    await page.getByRole("heading", { level: 1, name: "Board report" }).waitFor();
    const missions = await api<Page_<S["Mission"]>>("/missions?sort=code");
    const all = await Promise.all(missions.items.map((m) => missionData(m.id)));
    await loaded(all);
    await page.getByRole("button", { name: "Print the whole roadmap" }).waitFor();
    await check(page, "report");

    await expectPrintLayout();
    const pages = await printed("report-roadmap");
    expectNoChrome(pages);
    // The cover: the roadmap and the report's date, on a page of its own.
    const roadmaps = await api<Page_<S["Roadmap"]>>("/roadmaps");
    const cover = squeeze(pages[0]!);
    for (const roadmap of roadmaps.items) expect(cover).toContain(squeeze(roadmap.title));
    expect(cover).toContain(squeeze(`Report of ${longDate(today())}`));
    const text = squeeze(pages.join(" "));
    const found = sections(text, all);
    all.forEach((mission, i) => {
      // Each mission from a new page.
      const title = squeeze(`${mission.mission.code}: ${mission.mission.title} Report of`);
      expect(pages.some((p) => squeeze(p).startsWith(title)), `${mission.mission.code} starts a page`).toBe(true);
      expectMissionReport(found[i]!, pages, mission);
    });
  });
});
