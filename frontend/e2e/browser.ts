import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";

import { type Browser, type ConsoleMessage, type Page, type Request, type Response, chromium } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, expect } from "vitest";

export const APP = process.env.E2E_APP ?? "http://127.0.0.1:5174";
export const API = process.env.E2E_API ?? "http://127.0.0.1:8765";
const ARTEFACTS = new URL("../test-artefacts/", import.meta.url).pathname;
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * One browser page for a test file: opened before its tests (given to `use`), closed after them.
 *
 * The page is watched while each test runs, and the test fails if the page logged a console error,
 * threw an uncaught exception, crashed, or one of the app's own requests (to the app or to its API)
 * failed, got a 4xx/5xx, or (for a file of the app) got the app's page in its stead, unless the
 * test declared it beforehand with one of the `expect…` functions below. A declared failure that
 * never happened fails the test too, so the allowances stay as narrow as what each test provokes.
 */
export function withPage(use: (page: Page) => void): void {
  let browser: Browser | undefined;
  let page: Page | undefined;
  beforeAll(async () => {
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    watch(page);
    use(page);
  });
  beforeEach(() => {
    watching = { expected: [], problems: [] };
  });
  afterEach(async (context) => {
    // A round trip to the page, so that whatever it reported before now has reached us.
    await page?.evaluate(() => 0).catch(() => undefined);
    const { expected, problems } = watching!;
    watching = undefined;
    // A test that failed anyway may have stopped before what it declared: only what the page reported counts.
    const failed = context.task.result?.state === "fail";
    const missing = failed ? [] : expected.filter((e) => e.seen === 0).map((e) => `  - ${e.describe}`);
    const unexpected = problems.map((p) => `  - ${p}`);
    const report = [
      ...(unexpected.length > 0
        ? [
            `The page reported ${unexpected.length === 1 ? "a problem" : `${unexpected.length} problems`} this test did not expect:`,
            ...unexpected,
            "(If the test provokes it on purpose, declare it in the test: expectFailedResponse, expectFailedRequest, expectConsoleError or expectPageError from e2e/browser.ts.)",
          ]
        : []),
      ...(missing.length > 0 ? ["The test declared failures that did not happen (correct or remove the declaration):", ...missing] : []),
    ];
    if (report.length > 0) throw failure(report);
  });
  afterAll(async () => {
    await browser?.close();
    if (stray.length > 0) {
      const problems = stray.splice(0).map((p) => `  - ${p}`);
      throw failure(["The page reported problems between tests:", ...problems]);
    }
  });
}

/** Stack frames from the page ("    at http://…") would be taken by vitest for the error's own: reworded. */
const failure = (lines: string[]) => new Error(lines.join("\n").replace(/^(\s+)at /gm, "$1from "));

/**
 * The current test gets this response from the app or its API on purpose (a wrong password, a
 * validation error, an edit conflict...). Also allows the console error Chromium logs for it
 * ("Failed to load resource: the server responded with a status of …").
 */
export function expectFailedResponse(status: number, method: string, url: Url): void {
  const at = matcher(url);
  expectInThisTest({
    describe: `${status} response to ${method} ${url}`,
    kind: "response",
    matches: (r) => r.status() === status && r.request().method() === method && at(r.url()),
    console: (m) => m.text().includes(`the server responded with a status of ${status}`) && at(m.location().url),
  });
}

/** The current test makes requests to `url` fail at the network level on purpose (e.g. the API is down). */
export function expectFailedRequest(url: Url): void {
  const at = matcher(url);
  expectInThisTest({
    describe: `failed request to ${url}`,
    kind: "request",
    matches: (r) => at(r.url()),
    console: (m) => /^Failed to load resource: net::ERR_/.test(m.text()) && at(m.location().url),
  });
}

/** The current test makes the app log this console error on purpose. */
export function expectConsoleError(text: RegExp): void {
  expectInThisTest({ describe: `console error ${text}`, kind: "console", matches: (m) => text.test(m.text()) });
}

/** The current test makes the page throw this uncaught exception on purpose. */
export function expectPageError(message: RegExp): void {
  expectInThisTest({ describe: `uncaught exception ${message}`, kind: "pageerror", matches: (e) => message.test(`${e.name}: ${e.message}`) });
}

/** Which URLs: a pattern, or a string that they start with. */
type Url = RegExp | string;
const matcher = (url: Url) => (candidate: string) => (typeof url === "string" ? candidate.startsWith(url) : url.test(candidate));

type Events = { response: Response; request: Request; console: ConsoleMessage; pageerror: Error };
type Expected<K extends keyof Events = keyof Events> = {
  describe: string;
  kind: K;
  matches: (event: Events[K]) => boolean;
  /** The console error Chromium logs for the same failed response or request. */
  console?: (message: ConsoleMessage) => boolean;
};

let watching: { expected: (Expected & { seen: number })[]; problems: string[] } | undefined;
const stray: string[] = [];

function expectInThisTest<K extends keyof Events>(expected: Expected<K>): void {
  if (!watching) throw new Error(`Declare "${expected.describe}" inside the test that provokes it (with withPage in its file).`);
  watching.expected.push({ ...(expected as unknown as Expected), seen: 0 });
}

/** Whether the current test declared what the page reported; if not, it is a problem for the test. */
function report<K extends keyof Events>(kind: K, event: Events[K], problem: () => string): void {
  const expected = watching?.expected ?? [];
  const match = expected.find((e) => e.kind === kind && (e.matches as (event: Events[K]) => boolean)(event));
  if (match) match.seen++;
  else if (kind !== "console" || !expected.some((e) => e.console?.(event as ConsoleMessage))) (watching?.problems ?? stray).push(problem());
}

const FIRST_PARTY = new Set([new URL(APP).origin, new URL(API).origin]);
const firstParty = (url: string) => URL.canParse(url) && FIRST_PARTY.has(new URL(url).origin);

/**
 * The app's server answers a path it has no file for with the app's page (200, text/html), so that
 * its routes work when loaded directly: a missing script, stylesheet, image or font gets that too.
 * Only a page (a document) is meant to be HTML there.
 */
function missingFile(response: Response): boolean {
  const request = response.request();
  return (
    new URL(response.url()).origin === new URL(APP).origin &&
    request.resourceType() !== "document" &&
    (response.headers()["content-type"] ?? "").startsWith("text/html")
  );
}

function watch(page: Page): void {
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const where = message.location().url;
    report("console", message, () => `console error: ${message.text()}${where ? ` (${where})` : ""}`);
  });
  page.on("pageerror", (error) => {
    report("pageerror", error, () => `uncaught exception: ${error.stack ?? `${error.name}: ${error.message}`}`);
  });
  page.on("crash", () => (watching?.problems ?? stray).push("the page crashed"));
  page.on("response", (response) => {
    if (!firstParty(response.url())) return;
    const request = response.request();
    if (response.status() >= 400) {
      report("response", response, () => `${response.status()} ${response.statusText()} for ${request.method()} ${response.url()}`);
    } else if (missingFile(response)) {
      report("response", response, () => `missing file: ${request.method()} ${response.url()} (${request.resourceType()}) was answered with the app's HTML page, the server's fallback for a path it has no file for`);
    }
  });
  page.on("requestfailed", (request) => {
    const failure = request.failure()?.errorText ?? "failed";
    // Cancelled, not failed: a navigation away, or the app aborting a fetch it no longer needs.
    if (failure === "net::ERR_ABORTED" || !firstParty(request.url())) return;
    report("request", request, () => `${failure} for ${request.method()} ${request.url()}`);
  });
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${API}/api/v1${path}`, init);
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

/** An access token for an account, as the web app gets one. */
export async function signIn(email: string, password: string): Promise<string> {
  const body = new URLSearchParams({ grant_type: "password", username: email, password });
  return (await api<{ access_token: string }>("/auth/token", { method: "POST", body })).access_token;
}

export const bearer = (token: string, extra: Record<string, string> = {}) => ({
  headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...extra },
});

/** Screenshot the view into test-artefacts/ and fail on any axe-core violation. */
export async function check(page: Page, name: string): Promise<void> {
  mkdirSync(ARTEFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTEFACTS}${name}.png`, fullPage: true });
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (c: Document, o: object) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  expect(violations).toEqual([]);
}
