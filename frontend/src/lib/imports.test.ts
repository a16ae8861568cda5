import { describe, expect, it } from "vitest";

import {
  type Choice,
  type ImportRecord,
  asksSheet,
  checkChoice,
  fitting,
  layoutsFor,
  needs,
  nextDelay,
  parseMap,
  progressOf,
  queryOf,
  size,
  statusLabel,
  summary,
  uploadErrors,
} from "./imports";

const choice = (more: Partial<Choice> = {}): Choice => ({ kind: "stakeholders", format: "fields", metric: "", date: "", map: "", sheet: "", ...more });
const record = (more: Partial<ImportRecord> = {}): ImportRecord => ({
  id: "i1",
  version: 1,
  created_at: "2026-01-01T10:00:00Z",
  updated_at: "2026-01-01T10:00:00Z",
  kind: "stakeholders",
  format: "fields",
  dry_run: true,
  status: "succeeded",
  filename: "orgs.csv",
  size_bytes: 40,
  options: {},
  counts: { rows: 3, created: 1, updated: 1, unchanged: 1, rejected: 0 },
  problems: [],
  notes: [],
  error: null,
  actor_name: "officer@wmca.example",
  started_at: null,
  finished_at: null,
  ...more,
});

describe("layouts", () => {
  it("offers only the layouts that can hold the kind, fields always first", () => {
    const names = (kind: Parameters<typeof layoutsFor>[0]) => layoutsFor(kind).map((l) => l.value);
    expect(names("stakeholders")).toEqual(["fields", "kumu"]);
    expect(names("areas")).toEqual(["fields", "ons-lookup"]);
    expect(names("collaborations")).toEqual(["fields", "360giving", "kumu"]);
    expect(names("observations")).toEqual(["fields", "tidy", "wide"]);
    expect(names("targets")).toEqual(["fields", "tidy", "wide"]);
    expect(names("support-schemes")).toEqual(["fields"]);
  });

  it("falls back to fields when the kind changes under a layout that cannot hold it", () => {
    expect(fitting("observations", "wide")).toBe("wide");
    expect(fitting("stakeholders", "wide")).toBe("fields");
    expect(fitting("areas", "360giving")).toBe("fields");
    expect(fitting("stakeholders", "kumu")).toBe("kumu");
    expect(fitting("areas", "kumu")).toBe("fields");
  });

  it("asks for a metric and a date for values, and a column map for wide files", () => {
    expect(needs("stakeholders", "fields")).toEqual({ metric: false, date: false, map: false });
    expect(needs("observations", "tidy")).toEqual({ metric: true, date: true, map: false });
    expect(needs("baselines", "wide")).toEqual({ metric: false, date: true, map: true });
  });
});

describe("parseMap", () => {
  it("reads one COLUMN=code a line, trimmed, blank lines skipped", () => {
    expect(parseMap(" Full fibre (%) = full-fibre-coverage \n\nNo 4G=no-4g-coverage\r\n")).toEqual({
      pairs: ["Full fibre (%)=full-fibre-coverage", "No 4G=no-4g-coverage"],
      bad: [],
    });
  });

  it("keeps an = inside the code, and names the lines that are not a pair", () => {
    expect(parseMap("a=b=c\njust a column\n=code\ncolumn=")).toEqual({ pairs: ["a=b=c"], bad: ["just a column", "=code", "column="] });
  });
});

describe("queryOf", () => {
  it("sends only what applies to the kind, the layout and the file", () => {
    const wide = choice({ kind: "observations", format: "wide", metric: "ignored", date: " 2024-03-31 ", map: "A=a\nB=b", sheet: "Data" });
    expect(queryOf(wide, true, "ofcom.xlsx")).toEqual({
      kind: "observations",
      format: "wide",
      dry_run: true,
      metric: undefined,
      date: "2024-03-31",
      sheet: "Data",
      map: ["A=a", "B=b"],
    });
    // A CSV has no sheets; organisations have no metric or date.
    const orgs = choice({ metric: "x", date: "2024", sheet: "Data", map: "A=a" });
    expect(queryOf(orgs, false, "orgs.csv")).toEqual({
      kind: "stakeholders",
      format: "fields",
      dry_run: false,
      metric: undefined,
      date: undefined,
      sheet: undefined,
      map: undefined,
    });
  });

  it("asks which sheet only of a workbook that is not a Kumu map, and sends it only then", () => {
    expect(asksSheet("fields", "orgs.xlsx")).toBe(true);
    expect(asksSheet("wide", "OFCOM.XLSX")).toBe(true);
    expect(asksSheet("fields", "orgs.csv")).toBe(false);
    expect(asksSheet("fields", undefined)).toBe(false);
    // Kumu reads its own Elements and Connections sheets.
    expect(asksSheet("kumu", "map.xlsx")).toBe(false);
    const kumu = choice({ kind: "collaborations", format: "kumu", sheet: "Elements" });
    expect(queryOf(kumu, true, "map.xlsx").sheet).toBeUndefined();
    expect(queryOf({ ...kumu, format: "fields" }, true, "map.xlsx").sheet).toBe("Elements");
  });
});

describe("checkChoice", () => {
  it("needs a file, and a map whose every line is a pair", () => {
    const file = new File(["name\n"], "orgs.csv");
    expect(checkChoice(choice(), undefined)).toEqual({ file: "Choose a CSV or Excel (.xlsx) file." });
    expect(checkChoice(choice(), file)).toEqual({});
    expect(checkChoice(choice({ kind: "targets", format: "wide", map: "A=a\noops" }), file)["map"]).toContain("“oops”");
  });
});

describe("uploadErrors", () => {
  const problem = (status: number, errors: { field: string; message: string }[] | null, detail: string | null = null) => ({
    type: "about:blank",
    title: "Unprocessable Content",
    status,
    detail,
    errors: errors?.map((e) => ({ ...e, type: "value_error" })) ?? null,
  });

  it("puts the API's validation errors by the input they are about", () => {
    const said = uploadErrors(
      422,
      problem(422, [
        { field: "query", message: "Value error, A wide file holds baselines or targets or observations, not stakeholders." },
        { field: "query.date", message: "String should have at most 20 characters" },
        { field: "query.map.0", message: "Bad pair" },
        { field: "body.file", message: "Field required" },
        { field: "query.dry_run", message: "Not a boolean" },
      ]),
    );
    expect(said.byField).toEqual({
      format: "A wide file holds baselines or targets or observations, not stakeholders.",
      date: "String should have at most 20 characters",
      map: "Bad pair",
      file: "Field required",
    });
    expect(said.general).toEqual(["Not a boolean"]);
  });

  it("says a file is too large by the file, with the limit in words", () => {
    expect(uploadErrors(413, problem(413, null, "The file is larger than 209715200 bytes."))).toEqual({
      byField: { file: "The file is too large: the limit is 200 MB." },
      general: [],
    });
  });

  it("gives a refusal without field errors, and an unreachable API, in general", () => {
    expect(uploadErrors(403, problem(403, null, "Readers may not import.")).general).toEqual(["Readers may not import."]);
    expect(uploadErrors(0, undefined).general[0]).toMatch(/cannot be reached/);
  });

  it("writes sizes for people", () => {
    expect([size(512), size(1536), size(209_715_200)]).toEqual(["512 bytes", "1.5 KB", "200 MB"]);
  });
});

describe("following an import", () => {
  it("asks every 500 ms, then less often, never less than every 2 s", () => {
    const delays = [500];
    for (let i = 0; i < 6; i++) delays.push(nextDelay(delays.at(-1)!));
    expect(delays).toEqual([500, 750, 1125, 1688, 2000, 2000, 2000]);
  });

  it("says how far it has got", () => {
    expect(progressOf(record({ status: "queued" }), "orgs.csv")).toBe("orgs.csv is waiting for another import to finish…");
    expect(progressOf(record({ status: "running", counts: { rows: 0, created: 0, updated: 0, unchanged: 0, rejected: 0 } }), "orgs.csv")).toBe(
      "Checking orgs.csv…",
    );
    expect(progressOf(record({ status: "running", dry_run: false, counts: { rows: 1500, created: 0, updated: 0, unchanged: 0, rejected: 0 } }), "orgs.csv")).toBe(
      "Importing orgs.csv… 1,500 rows so far",
    );
  });

  it("sums up what a check would do, and what an import did", () => {
    expect(summary(record())).toBe("3 rows: would create 1, update 1 and leave 1 alone; 0 rejected.");
    expect(summary(record({ dry_run: false, counts: { rows: 1, created: 1, updated: 0, unchanged: 0, rejected: 0 } }))).toBe(
      "1 row: created 1, updated 0 and left 0 alone; 0 rejected.",
    );
  });

  it("tells a check from an import in its status", () => {
    expect(statusLabel(record())).toBe("Checked: no problems");
    expect(statusLabel(record({ status: "failed" }))).toBe("Checked: problems found");
    expect(statusLabel(record({ status: "failed", dry_run: false }))).toBe("Not imported");
    expect(statusLabel(record({ status: "running", dry_run: false }))).toBe("Importing");
  });
});
