/** Downloads in the browser tests: the file a click saves, read back as CSV rows. */
import { readFile } from "node:fs/promises";

import type { Locator, Page, Request } from "playwright-core";
import { expect } from "vitest";

import { API } from "./browser";

/** RFC 4180 CSV as rows of fields: quoted fields may hold commas, doubled quotes and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (quoted || (c !== "," && c !== "\n" && c !== "\r")) {
      field += c;
    } else if (c === ",") {
      row.push(field);
      field = "";
    } else {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    }
  }
  if (field !== "" || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** CSV rows as records by the header's names; every row as long as the header. */
export function records(text: string): { header: string[]; rows: Record<string, string>[] } {
  const [header = [], ...rest] = parseCsv(text);
  for (const r of rest) expect(r.length, `a row of ${r.length} fields under a header of ${header.length}`).toBe(header.length);
  return { header, rows: rest.map((r) => Object.fromEntries(header.map((name, i) => [name, r[i]!]))) };
}

/** Click a Download button (or press a key on it): the saved file's name, its bytes and the URL the app asked for. */
export async function download(page: Page, button: Locator, how: () => Promise<void> = () => button.click()) {
  const asked: string[] = [];
  const seen = (request: Request) => {
    if (request.method() === "GET" && request.url().startsWith(API) && /[?&]format=/.test(request.url())) asked.push(request.url());
  };
  page.on("request", seen);
  try {
    const [saved] = await Promise.all([page.waitForEvent("download"), how()]);
    const path = await saved.path();
    expect(await saved.failure()).toBeNull();
    return { name: saved.suggestedFilename(), bytes: await readFile(path), asked };
  } finally {
    page.off("request", seen);
  }
}

/** Every item of an API list as JSON (its cursors followed), with these headers: what a file of it must hold. */
export async function everything<T>(path: string, headers: Record<string, string> = {}): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const url = new URL(`${API}/api/v1${path}`);
    url.searchParams.set("limit", "500");
    if (cursor) url.searchParams.set("cursor", cursor);
    const response = await fetch(url, { headers });
    expect(response.status, await response.clone().text()).toBe(200);
    const page = (await response.json()) as { items: T[]; next_cursor: string | null };
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}
