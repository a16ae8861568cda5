import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";

import { APP, api, bearer, check, signIn, withPage } from "./browser";

// WCAG 2.2 1.4.10 (Reflow) and 1.4.4 (Resize text): every view at a phone's 320 CSS px, a tablet's
// 768 and a laptop's 1366, and at 1366 with the text at 200%: no sideways scrolling of the page, no
// clipped text, and axe at each. Wide tables scroll inside their own box; the navigation folds into
// a menu button.

type Named = { id: string; name?: string; title?: string; code?: string };
type Page_<T> = { items: T[] };

let page: Page;
withPage((opened) => (page = opened));

const WIDTHS = [320, 768, 1366] as const;
const HEIGHT = 800;

/** What the views show: found once, from the seeded API. */
let seen: {
  mission: Named;
  org: Named;
  collaboration: Named;
  metric: Named;
  story: Named;
};

beforeAll(async () => {
  const missions = await api<Page_<Named>>("/missions?sort=code");
  const org = (await api<Page_<Named>>("/stakeholders?q=Coventry%20University")).items[0]!;
  const collaboration = (await api<Page_<Named>>(`/collaborations?stakeholder=${org.id}&q=Focus`)).items[0]!;
  const metric = (await api<Page_<Named & { code: string }>>("/metrics?q=full%20fibre")).items.find((m) => m.code === "full-fibre-coverage")!;
  // A draft story to edit, about no organisation (so no public page lists it), with an address too long for a phone's line.
  const admin = await signIn(process.env.E2E_ADMIN_EMAIL!, process.env.E2E_ADMIN_PASSWORD!);
  const summary = "Written up at https://example.org/reports/digital-inclusion/a-very-long-address-without-any-place-to-break-it-2026.pdf for the Board.";
  const story = await api<Named>("/stories", { method: "POST", body: JSON.stringify({ title: "Reflow: a story to edit", kind: "lesson", summary }), ...bearer(admin) });
  seen = { mission: missions.items[3] ?? missions.items[0]!, org, collaboration, metric, story };
});

/** The page's own width against the screen's, and if wider, what sticks out (outside any box that scrolls). */
async function sideways(): Promise<string | null> {
  return page.evaluate(() => {
    const root = document.documentElement;
    if (root.scrollWidth <= root.clientWidth) return null;
    const culprits: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll<HTMLElement>("*"))) {
      const box = el.getBoundingClientRect();
      if (box.right <= root.clientWidth + 0.5 || el.closest(".table-scroll")) continue;
      culprits.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.className && typeof el.className === "string" ? `.${el.className.trim().replace(/\s+/g, ".")}` : ""} (right edge ${Math.round(box.right)})`);
      if (culprits.length === 8) break;
    }
    return `the page is ${root.scrollWidth} px wide on a ${root.clientWidth} px screen: ${culprits.join(", ")}`;
  });
}

/** Text cut off by its box: an element that hides its overflow and has more content than room. */
async function clipped(): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>("main *, header *"))
      .filter((el) => {
        if (el.closest(".visually-hidden, .skip, .graph") || !el.textContent?.trim()) return false;
        const style = getComputedStyle(el);
        const hides = (o: string) => o === "hidden" || o === "clip";
        return (hides(style.overflowX) && el.scrollWidth > el.clientWidth + 1) || (hides(style.overflowY) && el.scrollHeight > el.clientHeight + 1);
      })
      .map((el) => `${el.tagName.toLowerCase()}: ${el.textContent!.trim().slice(0, 60)}`),
  );
}

/** Two frames: whatever a resize set off (observers, redraws) has been laid out. */
const settled = () => page.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))));

/** Each `details` opened, so that the tables and lists they hold reflow too. */
async function openAll(): Promise<void> {
  await page.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = true)));
  await settled();
}

/** Every chart no wider than its box; the network's WebGL canvas as wide as its box; a trend chart not scaled down. */
async function chartsFit(): Promise<void> {
  const misfits = await page.evaluate(() =>
    Array.from(document.querySelectorAll<Element>("svg[role=img], .graph canvas"))
      .map((el) => {
        const box = el.parentElement!.getBoundingClientRect();
        const own = el.getBoundingClientRect();
        const fits = el.tagName === "canvas" ? Math.abs(own.width - box.width) <= 2 : own.width <= box.width + 0.5;
        return fits ? "" : `${el.tagName} ${Math.round(own.width)} px in a ${Math.round(box.width)} px box`;
      })
      .filter(Boolean),
  );
  expect(misfits).toEqual([]);
  // A chart over time is drawn at its box's width (up to its own), not shrunk: its words keep their size.
  const shrunk = await page.evaluate(() =>
    Array.from(document.querySelectorAll<SVGSVGElement>(".chart > svg"))
      .map((svg) => svg.getBoundingClientRect().width / svg.viewBox.baseVal.width)
      .filter((scale) => scale > 0 && scale < 0.99),
  );
  expect(shrunk).toEqual([]);
}

type View = { name: string; path: () => string; ready: () => Promise<unknown> };
const h1 = (name: string | RegExp) => page.getByRole("heading", { level: 1, name }).waitFor();
const main = () => page.locator("main").first();

/** A view at each width, then at 1366 with the text at 200%. */
async function reflows(view: View): Promise<void> {
  await page.setViewportSize({ width: WIDTHS[0], height: HEIGHT });
  await page.goto(`${APP}${view.path()}`);
  await view.ready();
  await openAll();
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: HEIGHT });
    await settled();
    expect(await sideways(), `${view.name} at ${width} px`).toBeNull();
    await chartsFit();
    await check(page, `reflow-${view.name}-${width}`);
  }
  await page.evaluate(() => (document.documentElement.style.fontSize = "200%"));
  try {
    await settled();
    expect(await sideways(), `${view.name} at 1366 px, text at 200%`).toBeNull();
    expect(await clipped(), `${view.name}: text clipped at 200%`).toEqual([]);
    await chartsFit();
    await check(page, `reflow-${view.name}-1366-text200`);
  } finally {
    await page.evaluate(() => (document.documentElement.style.fontSize = ""));
    await page.setViewportSize({ width: 1280, height: 900 });
  }
}

const PUBLIC: View[] = [
  { name: "dashboard", path: () => "/", ready: () => page.getByRole("heading", { level: 2, name: /^M5:/ }).waitFor() },
  {
    name: "mission",
    path: () => `/missions/${seen.mission.id}`,
    ready: async () => {
      await h1(`${seen.mission.code}: ${seen.mission.title}`);
      await page.getByRole("heading", { level: 2, name: "Activity serving it" }).waitFor();
      await main().locator("section.metric svg[role=img]").first().waitFor();
    },
  },
  {
    name: "report",
    path: () => "/report",
    ready: async () => {
      await h1("Board report");
      await page.getByRole("heading", { level: 2, name: `${seen.mission.code}: ${seen.mission.title}` }).waitFor();
      await main().locator("section.mission-report").last().getByRole("heading", { level: 3, name: "Activity serving it" }).waitFor();
    },
  },
  { name: "directory", path: () => "/stakeholders", ready: () => main().locator("tbody tr").first().waitFor() },
  {
    name: "organisation",
    path: () => `/stakeholders/${seen.org.id}`,
    ready: async () => {
      await h1(seen.org.name!);
      await page.getByRole("heading", { level: 2, name: /^Partners \(/ }).waitFor();
    },
  },
  {
    name: "collaboration",
    path: () => `/collaborations/${seen.collaboration.id}`,
    ready: async () => {
      await h1(seen.collaboration.title!);
      await page.getByRole("heading", { level: 2, name: /^Who takes part \(/ }).waitFor();
      await page.getByRole("heading", { level: 2, name: "Measured on this collaboration" }).waitFor();
      await main().locator(".state, table").last().waitFor();
    },
  },
  {
    name: "stories",
    path: () => "/stories",
    ready: async () => {
      await h1("The Innovation Tracker");
      await main().locator(".cards, p.state").first().waitFor();
    },
  },
  {
    name: "network",
    path: () => "/network",
    ready: async () => {
      await h1("Who works with whom");
      await main().locator(".graph canvas").first().waitFor();
      await main().locator("tbody tr").first().waitFor();
    },
  },
  {
    name: "region",
    path: () => `/region?metric=${seen.metric.id}`,
    ready: async () => {
      await h1("The region");
      await page.getByRole("img", { name: /^Map of / }).waitFor();
      await main().locator("details tbody tr").first().waitFor({ state: "attached" });
    },
  },
  {
    name: "support",
    path: () => "/support",
    ready: async () => {
      await h1("Support");
      await main().locator(".cards, p.state").first().waitFor();
    },
  },
  {
    name: "support-for",
    path: () => `/support?for=${seen.org.id}`,
    ready: () => page.getByRole("heading", { level: 3, name: /^Eligible \(/ }).waitFor(),
  },
  { name: "sign-in", path: () => "/sign-in", ready: () => page.getByLabel("E-mail address").waitFor() },
  { name: "not-found", path: () => "/no/such/page", ready: () => h1("Page not found") },
  {
    name: "embed",
    path: () => `/embed/metrics/${seen.metric.id}`,
    ready: async () => {
      await h1(seen.metric.name!);
      await page.locator("main table").first().waitFor();
    },
  },
];

/** Signed in as the administrator: the import page and the forms. */
const SIGNED_IN: View[] = [
  {
    name: "import",
    path: () => "/imports",
    ready: async () => {
      await h1("Import a file");
      await page.getByLabel("What the file holds").waitFor();
      await page.getByRole("region", { name: "Recent imports" }).locator(".state, table").first().waitFor();
    },
  },
  { name: "edit-organisation", path: () => `/stakeholders/${seen.org.id}/edit`, ready: () => formOf(`Edit ${seen.org.name}`) },
  { name: "edit-collaboration", path: () => `/collaborations/${seen.collaboration.id}/edit`, ready: () => formOf(`Edit ${seen.collaboration.title}`) },
  { name: "edit-story", path: () => `/stories/${seen.story.id}/edit`, ready: () => formOf(`Edit “${seen.story.title}”`) },
  { name: "new-organisation", path: () => "/stakeholders/new", ready: () => formOf("Add an organisation") },
  { name: "new-collaboration", path: () => `/collaborations/new?lead=${seen.org.id}`, ready: () => formOf("Propose a collaboration") },
  { name: "new-story", path: () => `/stories/new?stakeholder=${seen.org.id}`, ready: () => formOf("Tell a story") },
  { name: "dashboard-signed-in", path: () => "/", ready: () => page.getByRole("region", { name: "Latest changes" }).locator("ul, .state").first().waitFor() },
];

async function formOf(heading: string): Promise<void> {
  await h1(heading);
  await main().locator("form button[type=submit]").first().waitFor();
}

describe("every view reflows at 320, 768 and 1366 px, and with the text at 200%", () => {
  for (const view of PUBLIC) it(`${view.name}`, () => reflows(view));

  it("signs in as the administrator", async () => {
    await page.goto(`${APP}/sign-in?next=%2Fimports`);
    await page.getByLabel("E-mail address").fill(process.env.E2E_ADMIN_EMAIL!);
    await page.getByLabel("Password").fill(process.env.E2E_ADMIN_PASSWORD!);
    await page.getByRole("button", { name: "Sign in" }).click();
    await h1("Import a file");
  });

  for (const view of SIGNED_IN) it(`${view.name} (signed in)`, () => reflows(view));

  it("scrolls a wide table inside its own labelled box, which the keyboard can reach", async () => {
    await page.setViewportSize({ width: 320, height: HEIGHT });
    try {
      await page.goto(`${APP}/network`);
      const box = page.getByRole("region", { name: /^The 25 organisations with the strongest links/ });
      await box.waitFor();
      expect(await box.evaluate((el) => [el.scrollWidth > el.clientWidth, el.tabIndex])).toEqual([true, 0]);
      await box.focus();
      await page.keyboard.press("ArrowRight");
      await page.waitForFunction(() => (document.activeElement?.scrollLeft ?? 0) > 0);
      // Wide enough for the table, the box is no longer a stop in the tab order, nor a landmark.
      await page.setViewportSize({ width: 1366, height: HEIGHT });
      await page.locator(".table-scroll:not([tabindex])").filter({ has: page.getByRole("table") }).waitFor();
      expect(await page.getByRole("region", { name: /^The 25 organisations/ }).count()).toBe(0);
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });
});

describe("the menu button on a narrow screen", () => {
  const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim());

  it("opens, closes on Escape and after a navigation, by keyboard alone", async () => {
    await page.setViewportSize({ width: 320, height: HEIGHT });
    try {
      // Signed out: the links are the same for everyone.
      await page.goto(`${APP}/`);
      await page.evaluate(() => sessionStorage.clear());
      await page.goto(`${APP}/`);
      await h1("The region's digital roadmap");
      const nav = page.getByRole("navigation", { name: "Main" });
      const button = nav.getByRole("button", { name: "Menu" });
      const links = ["Missions", "Organisations", "Stories", "Network", "Region", "Support"];
      expect(await nav.getByRole("link").count()).toBe(0); // folded away: out of sight and out of the tab order
      expect(await nav.locator(`#${await button.getAttribute("aria-controls")}`).getByRole("link", { includeHidden: true }).count()).toBe(links.length);

      await page.keyboard.press("Tab"); // the skip link
      await page.keyboard.press("Tab"); // the app's name, a link home
      await page.keyboard.press("Tab");
      expect(await button.evaluate((b) => b === document.activeElement)).toBe(true);
      expect(await button.getAttribute("aria-expanded")).toBe("false");
      await page.keyboard.press("Enter");
      expect(await button.getAttribute("aria-expanded")).toBe("true");
      await check(page, "reflow-menu-open-320");
      for (const name of links) {
        await page.keyboard.press("Tab");
        expect(await focused()).toBe(name);
      }
      await page.keyboard.press("Escape");
      expect(await button.getAttribute("aria-expanded")).toBe("false");
      expect(await button.evaluate((b) => b === document.activeElement)).toBe(true);
      expect(await nav.getByRole("link").count()).toBe(0);

      // Past the last link, the list closes: open, it would cover where focus goes next.
      await page.keyboard.press("Enter");
      for (const name of links) {
        await page.keyboard.press("Tab");
        expect(await focused()).toBe(name);
      }
      await page.keyboard.press("Tab");
      expect(await focused()).toBe("Sign in");
      expect(await button.getAttribute("aria-expanded")).toBe("false");
      await page.keyboard.press("Shift+Tab");
      expect(await button.evaluate((b) => b === document.activeElement)).toBe(true);

      await page.keyboard.press("Space");
      expect(await button.getAttribute("aria-expanded")).toBe("true");
      await page.keyboard.press("Tab");
      await page.keyboard.press("Tab");
      expect(await focused()).toBe("Organisations");
      await page.keyboard.press("Enter");
      await h1("Organisations");
      await page.waitForURL(/\/stakeholders$/);
      expect(await button.getAttribute("aria-expanded")).toBe("false");
      expect(await nav.getByRole("link").count()).toBe(0);
      await page.waitForFunction(() => document.activeElement?.tagName === "H1");

      // Wide: no button, the links in the header.
      await page.setViewportSize({ width: 1366, height: HEIGHT });
      await nav.getByRole("link", { name: "Support" }).waitFor();
      expect(await button.isVisible()).toBe(false);
      expect(await nav.getByRole("link", { name: "Organisations" }).getAttribute("aria-current")).toBe("page");
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });
});
