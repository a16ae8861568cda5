import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";

import { type Browser, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";

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

/** One browser page for a test file: opened before its tests (given to `use`), closed after them. */
export function withPage(use: (page: Page) => void): void {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launch();
    use(await browser.newPage({ viewport: { width: 1280, height: 900 } }));
  });
  afterAll(async () => {
    await browser?.close();
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
