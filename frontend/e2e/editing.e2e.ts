import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";

import { API, APP, api, bearer, check, expectFailedResponse, signIn, withPage } from "./browser";

type Stakeholder = { id: string; name: string; description: string | null; website: string | null; sectors: string[]; version: number };

const PASSWORD = "a long e2e passphrase";
let page: Page;
let aston: Stakeholder;
let other: Stakeholder;
let editorToken: string;

beforeAll(async () => {
  const admin = await signIn(process.env.E2E_ADMIN_EMAIL!, process.env.E2E_ADMIN_PASSWORD!);
  const found = await api<{ items: Stakeholder[] }>("/stakeholders?q=Aston%20University");
  aston = found.items[0]!;
  other = (await api<{ items: Stakeholder[] }>("/stakeholders?kind=local_authority")).items[0]!;
  const create = (email: string, role: string, stakeholder_id?: string) =>
    api("/accounts", { method: "POST", body: JSON.stringify({ email, password: PASSWORD, role, stakeholder_id }), ...bearer(admin) });
  await create("partner@aston.example", "partner", aston.id);
  await create("officer@wmca.example", "editor");
  editorToken = await signIn("officer@wmca.example", PASSWORD);
});
withPage((opened) => (page = opened));

describe("signing in and editing", () => {
  it("refuses a wrong password and says why", async () => {
    await page.goto(`${APP}/sign-in`);
    await page.getByLabel("E-mail address").fill("partner@aston.example");
    await page.getByLabel("Password").fill("not the password");
    expectFailedResponse(401, "POST", /\/api\/v1\/auth\/token$/);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").waitFor();
    await check(page, "sign-in");
  });

  it("signs a partner in, who may edit its own organisation and no other", async () => {
    await page.goto(`${APP}/stakeholders/${other.id}`);
    await page.getByRole("heading", { level: 1, name: other.name }).waitFor();
    await page.getByRole("link", { name: "Sign in" }).click();
    await page.getByLabel("E-mail address").fill("partner@aston.example");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Signed in as partner@aston.example").waitFor();
    // Back where they were: someone else's organisation, with nothing to edit.
    await page.getByRole("heading", { level: 1, name: other.name }).waitFor();
    expect(await page.getByRole("link", { name: "Edit this organisation" }).count()).toBe(0);

    await page.goto(`${APP}/stakeholders/${aston.id}`);
    await page.getByRole("link", { name: "Edit this organisation" }).click();
    await page.getByRole("heading", { level: 1, name: `Edit ${aston.name}` }).waitFor();
    await page.getByLabel("Name").waitFor();
  });

  it("shows the API's validation message next to the field", async () => {
    const website = await page.getByLabel("Website (optional)").inputValue();
    await page.getByLabel("Website (optional)").fill("not a web address");
    expectFailedResponse(422, "PATCH", new RegExp(`/api/v1/stakeholders/${aston.id}$`));
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.locator("#website-error").waitFor();
    expect(await page.getByLabel("Website (optional)").getAttribute("aria-invalid")).toBe("true");
    await check(page, "edit-invalid");
    await page.getByLabel("Website (optional)").fill(website);
  });

  it("loses a race to an editor, says who won, and keeps what was typed", async () => {
    const current = await api<Stakeholder>(`/stakeholders/${aston.id}`);
    await page.getByLabel("Sectors").fill("digital\nadvanced manufacturing");
    // Meanwhile the digital team changes the description.
    await api(`/stakeholders/${aston.id}`, {
      method: "PATCH",
      body: JSON.stringify({ description: "Updated by the digital team." }),
      ...bearer(editorToken, { "If-Match": `"${current.version}"` }),
    });

    expectFailedResponse(412, "PATCH", new RegExp(`/api/v1/stakeholders/${aston.id}$`));
    await page.getByRole("button", { name: "Save changes" }).click();
    const alert = page.getByRole("alert");
    await alert.getByText("Someone else saved this record while you were editing").waitFor();
    expect(await alert.textContent()).toContain(`officer@wmca.example saved version ${current.version + 1}`);
    expect(await alert.textContent()).toContain("changing description");
    expect(await page.getByLabel("Sectors").inputValue()).toBe("digital\nadvanced manufacturing");
    await check(page, "edit-conflict");

    await page.getByRole("button", { name: "Load their version and keep my changes" }).click();
    await page.getByText(`Loaded version ${current.version + 1}.`).waitFor();
    expect(await page.getByLabel("Sectors").inputValue()).toBe("digital\nadvanced manufacturing");
    expect(await page.getByLabel("Description (optional)").inputValue()).toBe("Updated by the digital team.");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Saved.").waitFor();

    const saved = await api<Stakeholder>(`/stakeholders/${aston.id}`);
    expect(saved.sectors.sort()).toEqual(["advanced manufacturing", "digital"]);
    expect(saved.description).toBe("Updated by the digital team.");
    expect(saved.version).toBe(current.version + 2);
    expect(saved.website).toBe(current.website); // untouched: only what the user changed is sent
  });

  it("lets a partner tell a story about its organisation, kept as a draft", async () => {
    await page.goto(`${APP}/stakeholders/${aston.id}`);
    await page.getByRole("link", { name: `Tell a story about ${aston.name}` }).click();
    await page.getByRole("heading", { level: 1, name: "Tell a story" }).waitFor();
    expectFailedResponse(422, "POST", /\/api\/v1\/stories$/);
    await page.getByRole("button", { name: "Create" }).click();
    await page.locator("#title-error").waitFor(); // the API's message: a title is needed
    await page.getByLabel("Title").fill("Cyber skills bootcamp filled twice over");
    await page.getByLabel("Kind").selectOption("success");
    await page.getByLabel("Summary").fill("120 applicants for 60 places, most from outside the sector.");
    expect(await page.getByLabel("Publication").count()).toBe(0); // partners cannot publish
    await check(page, "story-new");
    await page.getByRole("button", { name: "Create" }).click();
    await page.getByRole("heading", { level: 1, name: aston.name }).waitFor();
    await page.getByText("Cyber skills bootcamp filled twice over (draft)").waitFor();
    const published = await fetch(`${API}/api/v1/stories?stakeholder=${aston.id}`).then((r) => r.json());
    expect(published.items).toEqual([]); // not public until the digital team publishes it
  });

  it("lets a partner propose a collaboration, as a draft it leads, and say who takes part", async () => {
    await page.goto(`${APP}/stakeholders/${aston.id}`);
    await page.getByRole("link", { name: `Propose a collaboration led by ${aston.name}` }).click();
    await page.getByLabel("Title").fill("Black Country cyber clinics");
    await page.getByLabel("Kind").selectOption("project");
    await page.getByLabel("Funding status (optional)").selectOption("seeking");
    await page.getByLabel("Funding amount (£) (optional)").fill("£40,000");
    await check(page, "collaboration-new");
    await page.getByRole("button", { name: "Create" }).click();
    await page.getByRole("heading", { level: 1, name: "Black Country cyber clinics" }).waitFor();
    await page.getByText("Proposed: it stays a draft until the digital team publishes it.").waitFor();
    const id = page.url().split("/collaborations/")[1]!;
    const made = await api<{ funding_amount_pence: number; publication: string }>(`/collaborations/${id}`, bearer(editorToken));
    expect([made.funding_amount_pence, made.publication]).toEqual([4_000_000, "draft"]);
    await page.getByRole("row", { name: `${aston.name} lead` }).waitFor(); // the API made Aston its lead

    await page.getByLabel("Find an organisation").fill("Coventry University");
    await page.getByLabel("Organisation", { exact: true }).getByRole("option", { name: "Coventry University" }).waitFor({ state: "attached" });
    await page.getByLabel("Role").selectOption("partner");
    await page.getByRole("button", { name: "Add to the collaboration" }).click();
    await page.getByText("Coventry University now takes part as partner.").waitFor();
    await page.getByRole("row", { name: /Coventry University partner/ }).waitFor();
    await check(page, "collaboration-participants");
    await page.getByRole("button", { name: "Remove Coventry University (partner)" }).click();
    await page.getByText("Coventry University no longer takes part.").waitFor();
    expect(await page.getByRole("row", { name: /Coventry University/ }).count()).toBe(0);
  });

  it("shows a signed-in user the latest changes on the dashboard, then signs out", async () => {
    await page.goto(`${APP}/`);
    const latest = page.getByRole("region", { name: "Latest changes" });
    await latest.getByText(/partner@aston\.example changed/).first().waitFor();
    expect(await latest.textContent()).toContain("officer@wmca.example changed");
    await check(page, "dashboard-signed-in");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("link", { name: "Sign in" }).waitFor();
    expect(await page.getByRole("region", { name: "Latest changes" }).count()).toBe(0);
  });

  it("lets an editor record how a collaboration seeks funding, and shows it", async () => {
    type Collaboration = { id: string; title: string; funding_status: string | null; version: number };
    const collaboration = (await api<{ items: Collaboration[] }>("/collaborations?q=Barrier%20Busting")).items[0]!;
    await page.goto(`${APP}/sign-in?next=${encodeURIComponent(`/collaborations/${collaboration.id}/edit`)}`);
    await page.getByLabel("E-mail address").fill("officer@wmca.example");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: `Edit ${collaboration.title}` }).waitFor();
    await page.getByLabel("Funding status (optional)").selectOption("seeking");
    await page.getByLabel("Funding route (optional)").fill("UK Shared Prosperity Fund");
    await check(page, "edit-collaboration");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Saved.").waitFor();
    const saved = await api<Collaboration & { funding_route: string }>(`/collaborations/${collaboration.id}`);
    expect([saved.funding_status, saved.funding_route, saved.version]).toEqual(["seeking", "UK Shared Prosperity Fund", collaboration.version + 1]);
    await page.getByRole("link", { name: "Back to the collaboration" }).click();
    await page.getByText("Seeking funding, UK Shared Prosperity Fund").waitFor();
  });

  it("records a value measured on a collaboration: its own baseline", async () => {
    type Collaboration = { id: string; outcome_ids: string[] };
    const collaboration = (await api<{ items: Collaboration[] }>("/collaborations?q=Barrier%20Busting")).items[0]!;
    const metric = (await api<{ items: { id: string; name: string }[] }>(`/metrics?outcome=${collaboration.outcome_ids[0]}`)).items[0]!;
    await page.goto(`${APP}/collaborations/${collaboration.id}`);
    await page.getByText("No values measured on it yet").waitFor();
    await page.getByLabel("Metric", { exact: true }).selectOption({ value: metric.id });
    await page.getByLabel("Area", { exact: true }).selectOption({ label: "Birmingham (local authority)" });
    await page.getByLabel("Value").fill("12.5");
    await page.getByLabel("Date").fill("2026-06-30");
    await page.getByLabel("Qualifier").selectOption("approx");
    await page.getByLabel("Source (optional)").fill("Project survey");
    await page.getByRole("button", { name: "Record the value" }).click();
    await page.getByText(`Recorded a value of ${metric.name}.`).waitFor();
    await page.getByRole("row", { name: new RegExp(`${metric.name} Birmingham ≈ 12.5`) }).waitFor();
    await check(page, "collaboration-measured");
    type Observation = { value: string; qualifier: string; area_id: string };
    const values = await api<{ items: Observation[] }>(`/metrics/${metric.id}/observations?collaboration=${collaboration.id}`);
    expect(values.items.map((o) => [o.value, o.qualifier])).toEqual([["12.5", "approx"]]);
  });

  it("lets the digital team publish a partner's draft story", async () => {
    await page.goto(`${APP}/stories?publication=draft`);
    await page.getByRole("heading", { level: 2, name: "Cyber skills bootcamp filled twice over" }).waitFor();
    await page.getByRole("link", { name: "Edit “Cyber skills bootcamp filled twice over”" }).click();
    await page.getByLabel("Publication").selectOption("published");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Saved.").waitFor();
    const published = await fetch(`${API}/api/v1/stories?stakeholder=${aston.id}`).then((r) => r.json());
    expect(published.items.map((s: { title: string }) => s.title)).toEqual(["Cyber skills bootcamp filled twice over"]);
    await page.goto(`${APP}/stories`);
    await page.getByRole("heading", { level: 2, name: "Cyber skills bootcamp filled twice over" }).waitFor();
  });
});

describe("importing a file", () => {
  const csv = (name: string, text: string) => ({ name, mimeType: "text/csv", buffer: Buffer.from(text) });
  const focused = () => page.evaluate(() => document.activeElement?.id ?? document.activeElement?.tagName);

  it("imports a spreadsheet of organisations after a dry run", async () => {
    // Whoever an earlier test left signed in, this one starts signed out.
    await page.goto(`${APP}/`);
    await page.evaluate(() => sessionStorage.clear());
    await page.goto(`${APP}/imports`);
    await page.getByRole("heading", { level: 1, name: "Import a file" }).waitFor();
    const nav = page.getByRole("navigation", { name: "Main" });
    expect(await nav.getByRole("link", { name: "Import" }).count()).toBe(0); // not for the signed out
    await page.getByRole("main").getByRole("link", { name: "Sign in" }).click();
    await page.getByLabel("E-mail address").fill(process.env.E2E_ADMIN_EMAIL!);
    await page.getByLabel("Password").fill(process.env.E2E_ADMIN_PASSWORD!);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: "Import a file" }).waitFor();
    expect(await nav.getByRole("link", { name: "Import" }).getAttribute("aria-current")).toBe("page");

    // Only the layouts an organisation can come in are offered.
    await page.getByLabel("What the file holds").selectOption("observations");
    await page.getByLabel("Wide (Ofcom, ONS)").check();
    await page.getByLabel("Which column is which metric (optional)").waitFor(); // a wide file's own input
    await page.getByLabel("What the file holds").selectOption("stakeholders");
    expect(await page.getByLabel("Wide (Ofcom, ONS)").count()).toBe(0);
    await page.getByLabel("Fields", { exact: true }).check();
    await page.getByLabel("File", { exact: true }).setInputFiles(csv("orgs.csv", "name,kind,area_ids\nE2E Import Org,business,E08000026\n"));
    await check(page, "import-form");

    await page.getByRole("button", { name: "Check file" }).click();
    await page.getByText("1 row: would create 1, update 0 and leave 0 alone; 0 rejected.").waitFor();
    await page.getByRole("heading", { level: 2, name: "orgs.csv is ready to import" }).waitFor();
    expect(await focused()).toBe("import-report");
    expect((await api<{ items: unknown[] }>("/stakeholders?q=E2E%20Import%20Org")).items).toEqual([]); // a dry run writes nothing
    await check(page, "import-checked");

    await page.getByRole("button", { name: "Import 1 row" }).click();
    await page.getByRole("heading", { level: 2, name: "Imported orgs.csv" }).waitFor();
    await page.getByText("Done. 1 row: created 1, updated 0 and left 0 alone; 0 rejected.").waitFor();
    const recent = page.getByRole("region", { name: "Recent imports" });
    await recent.getByRole("row", { name: /orgs\.csv Organisations, fields Imported 1 row: 1 created/ }).waitFor();
    await recent.getByRole("row", { name: /orgs\.csv Organisations, fields Checked: no problems/ }).waitFor();
    await check(page, "import-done");

    type Made = { name: string; kind: string; area_ids: string[] };
    const made = (await api<{ items: Made[] }>("/stakeholders?q=E2E%20Import%20Org")).items;
    expect(made.map((s) => [s.name, s.kind, s.area_ids.length])).toEqual([["E2E Import Org", "business", 1]]);
  });

  it("lists a file's problems, then checks and imports a corrected one, by keyboard", async () => {
    await page.goto(`${APP}/imports`);
    await page.getByRole("heading", { level: 1, name: "Import a file" }).waitFor();
    await page.getByLabel("What the file holds").focus();
    await page.keyboard.press("Tab"); // to the layouts: organisations come as fields only
    expect(await focused()).toBe("import-format-fields");
    await page.getByLabel("File", { exact: true }).setInputFiles(csv("bad.csv", "name,kind\nE2E Keyboard Org,spaceship\n"));
    await page.getByRole("button", { name: "Check file" }).focus();
    await page.keyboard.press("Enter");

    await page.getByRole("heading", { level: 2, name: "bad.csv cannot be imported yet" }).waitFor();
    expect(await focused()).toBe("import-report");
    const problems = page.getByRole("table", { name: "1 row of bad.csv cannot be imported" });
    await problems.getByRole("row", { name: /^2 kind spaceship / }).waitFor();
    await page.getByText("Nothing can be imported until this problem is fixed").waitFor();
    expect(await page.getByRole("button", { name: /^Import / }).count()).toBe(0);
    await check(page, "import-problems");

    await page.getByRole("button", { name: "Choose a corrected file" }).focus();
    await page.keyboard.press("Enter");
    expect(await focused()).toBe("import-file");
    await page.getByLabel("File", { exact: true }).setInputFiles(csv("fixed.csv", "name,kind\nE2E Keyboard Org,business\n"));
    await page.getByText("You have changed the file or its options since this check").waitFor();
    await page.keyboard.press("Tab"); // past the file, to the button that checks it
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { level: 2, name: "fixed.csv is ready to import" }).waitFor();
    expect(await focused()).toBe("import-report");
    await page.keyboard.press("Tab"); // from the report's heading, straight to what it offers
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { level: 2, name: "Imported fixed.csv" }).waitFor();
    expect(await focused()).toBe("import-result");
    expect((await api<{ items: unknown[] }>("/stakeholders?q=E2E%20Keyboard%20Org")).items).toHaveLength(1);
  });

  it("shows the API's refusal next to the input it is about", async () => {
    await page.goto(`${APP}/imports`);
    await page.getByLabel("What the file holds").selectOption("observations");
    await page.getByLabel("Date of the figures (optional)").fill("the thirty-first of March 2024");
    await page.getByLabel("File", { exact: true }).setInputFiles(csv("values.csv", "metric_id,area_id,value\nfull-fibre-coverage,E08000026,80\n"));
    expectFailedResponse(422, "POST", /\/api\/v1\/imports\?/);
    await page.getByRole("button", { name: "Check file" }).click();
    await page.locator("#import-date-error").waitFor();
    expect(await page.getByLabel("Date of the figures (optional)").getAttribute("aria-invalid")).toBe("true");
    expect(await focused()).toBe("import-refusal");
    await check(page, "import-refused");
  });
});
