import { fireEvent, render, screen } from "@testing-library/svelte";
import createClient from "openapi-fetch";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { paths } from "../lib/api/schema";
import { Session } from "../lib/session.svelte";
import Download from "./Download.svelte";

const json = (body: unknown, status = 200, type = "application/json") => new Response(JSON.stringify(body), { status, headers: { "Content-Type": type } });

/** A saved file's text: a Blob from fetch (Node's) reads itself; jsdom's Blob has no text(). */
function read(blob: Blob): Promise<string> {
  if (typeof blob.text === "function") return blob.text();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(blob);
  });
}

let saved: { name: string; href: string }[];
let blobs: Blob[];

beforeEach(() => {
  saved = [];
  blobs = [];
  vi.stubGlobal("URL", Object.assign(URL, { createObjectURL: (b: Blob) => (blobs.push(b), `blob:${blobs.length}`), revokeObjectURL: () => undefined }));
  vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
    saved.push({ name: this.download, href: this.getAttribute("href") ?? "" });
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

/** The app's client as it is wired: a signed-in session's middleware on it; the API's answers from `answer`. */
async function signedInClient(answer: (request: Request) => Response) {
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string) =>
      url.endsWith("/auth/token") ? json({ access_token: "tok-1", refresh_token: "r1", token_type: "bearer", expires_in: 900 }) : json({ kind: "account", id: "a1", name: "e", role: "editor", stakeholder_id: null }),
    ),
  );
  const session = new Session();
  await session.signIn("e@example.org", "secret");
  const requests: Request[] = [];
  const client = createClient<paths, "application/json">({ baseUrl: "http://api.test", fetch: async (request: Request) => (requests.push(request), answer(request)) });
  client.use(session.middleware);
  return { client, requests };
}

describe("Download", () => {
  it("offers CSV and XLSX as buttons named for what they download", () => {
    render(Download, { what: "organisations", path: "/api/v1/stakeholders" });
    expect(screen.getByRole("button", { name: "Download organisations as CSV" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Download organisations as XLSX" })).toBeTruthy();
  });

  it("fetches the whole list with the view's filters and the user's credentials, and saves it under the API's name", async () => {
    const { client, requests } = await signedInClient(
      () => new Response("id,name\r\ns1,Aston\r\n", { headers: { "Content-Type": "text/csv", "Content-Disposition": 'attachment; filename="stakeholders-20260131.csv"' } }),
    );
    render(Download, { what: "organisations", path: "/api/v1/stakeholders", query: { q: "aston", kind: "", cursor: "c2" }, client });
    await fireEvent.click(screen.getByRole("button", { name: "Download organisations as CSV" }));
    await screen.findByText("Downloaded stakeholders-20260131.csv.");
    expect(requests).toHaveLength(1);
    expect(requests[0]!.url).toBe("http://api.test/api/v1/stakeholders?q=aston&format=csv");
    expect(requests[0]!.headers.get("Authorization")).toBe("Bearer tok-1");
    expect(saved).toEqual([{ name: "stakeholders-20260131.csv", href: "blob:1" }]);
    expect(await read(blobs[0]!)).toBe("id,name\r\ns1,Aston\r\n");
  });

  it("names the file as the API does when its Content-Disposition cannot be read", async () => {
    const { client } = await signedInClient(() => new Response("x", { headers: { "Content-Type": "application/octet-stream" } }));
    render(Download, { what: "imports", path: "/api/v1/imports", client });
    await fireEvent.click(screen.getByRole("button", { name: "Download imports as XLSX" }));
    await screen.findByText(/^Downloaded imports-\d{8}\.xlsx\.$/);
    expect(saved[0]!.name).toMatch(/^imports-\d{8}\.xlsx$/);
  });

  it("says what the API refused, never failing silently", async () => {
    const problem = { type: "about:blank", title: "Unprocessable", status: 422, detail: "The request is not valid; see `errors`.", errors: [{ field: "query.sort", message: "Unknown field", type: "x" }] };
    const { client } = await signedInClient(() => json(problem, 422, "application/problem+json"));
    render(Download, { what: "organisations", path: "/api/v1/stakeholders", query: { sort: "nope" }, client });
    await fireEvent.click(screen.getByRole("button", { name: "Download organisations as CSV" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Organisations not downloaded: sort: Unknown field");
    expect(saved).toEqual([]);

    const forbidden = await signedInClient(() => json({ type: "about:blank", title: "Forbidden", status: 403, detail: "Only editors may list accounts." }, 403));
    render(Download, { what: "accounts", path: "/api/v1/accounts", client: forbidden.client });
    await fireEvent.click(screen.getByRole("button", { name: "Download accounts as CSV" }));
    await screen.findByText("Accounts not downloaded: Only editors may list accounts.");
  });

  it("says so when the API cannot be reached", async () => {
    const { client } = await signedInClient(() => {
      throw new TypeError("Failed to fetch");
    });
    render(Download, { what: "organisations", path: "/api/v1/stakeholders", client });
    await fireEvent.click(screen.getByRole("button", { name: "Download organisations as CSV" }));
    await screen.findByText("Organisations not downloaded: The API cannot be reached; try again in a moment.");
  });

  it("makes a CSV of a computed table's rows, CSV only", async () => {
    render(Download, { what: "the outcomes table", table: { name: "mission-outcomes", header: ["Outcome", "Progress"], rows: [["M1.1 Access, for all", "50%"]] } });
    expect(screen.queryByRole("button", { name: /as XLSX$/ })).toBeNull();
    await fireEvent.click(screen.getByRole("button", { name: "Download the outcomes table as CSV" }));
    await screen.findByText(/^Downloaded mission-outcomes-\d{8}\.csv\.$/);
    expect(await read(blobs[0]!)).toBe('Outcome,Progress\r\n"M1.1 Access, for all",50%\r\n');
  });
});
