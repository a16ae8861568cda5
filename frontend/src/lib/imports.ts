/** The Import page's plain logic: which layouts hold which kinds, the request's query, and what the API said. */
import type { Problem, Schemas } from "./api/client";
import type { operations } from "./api/schema";
import { count } from "./status";

export type ImportKind = Schemas["ImportKind"];
export type ImportFormat = Schemas["ImportFormat"];
export type ImportRecord = Schemas["Import"];
export type ImportQuery = operations["imports-start"]["parameters"]["query"];

export const KINDS: { value: ImportKind; label: string }[] = [
  { value: "stakeholders", label: "Organisations" },
  { value: "collaborations", label: "Collaborations" },
  { value: "areas", label: "Areas" },
  { value: "observations", label: "Observations (measured values)" },
  { value: "baselines", label: "Baselines" },
  { value: "targets", label: "Targets" },
  { value: "support-schemes", label: "Support schemes" },
];

const VALUES: ImportKind[] = ["baselines", "targets", "observations"];

type Layout = { value: ImportFormat; label: string; help: string; kinds: ImportKind[] | "any" };

export const LAYOUTS: Layout[] = [
  {
    value: "fields",
    label: "Fields",
    help: "One record per row, with the API's field names as the columns: what this site's exports write.",
    kinds: "any",
  },
  {
    value: "tidy",
    label: "Tidy (Open SDG)",
    help: "One value per row: Year, GeoCode and Value columns, and a column for each breakdown (such as Age or Sex).",
    kinds: VALUES,
  },
  {
    value: "wide",
    label: "Wide (Ofcom, ONS)",
    help: "One row per area and one column per metric, as Ofcom and ONS publish: give the figures' date and which column is which metric.",
    kinds: VALUES,
  },
  {
    value: "ons-lookup",
    label: "ONS geography lookup",
    help: "An ONS lookup (such as WD23CD, LAD23CD, RGN23CD columns) builds the areas and which one lies within which.",
    kinds: ["areas"],
  },
  {
    value: "360giving",
    label: "360Giving grants",
    help: "Each grant becomes a funded collaboration, with its funder and recipient taking part.",
    kinds: ["collaborations"],
  },
  {
    value: "kumu",
    label: "Kumu map",
    help: "A Kumu workbook (.xlsx) with Elements and Connections sheets: organisations, and the collaborations that connect them.",
    kinds: ["stakeholders", "collaborations"],
  },
];

/** The layouts a file of this kind can have: `fields` always, first. */
export function layoutsFor(kind: ImportKind): Layout[] {
  return LAYOUTS.filter((l) => l.kinds === "any" || l.kinds.includes(kind));
}

/** The chosen layout if it fits the kind, else `fields` (what every kind can be). */
export function fitting(kind: ImportKind, format: ImportFormat): ImportFormat {
  return layoutsFor(kind).some((l) => l.value === format) ? format : "fields";
}

/** Which extra inputs apply: a metric and a date for values; a column map for `wide`. */
export function needs(kind: ImportKind, format: ImportFormat): { metric: boolean; date: boolean; map: boolean } {
  const values = VALUES.includes(kind);
  return { metric: values && format !== "wide", date: values, map: values && format === "wide" };
}

/** A sheet applies only to an Excel workbook. */
export const isWorkbook = (name: string | undefined) => Boolean(name?.toLowerCase().endsWith(".xlsx"));

/** Whether to ask which sheet to read: a workbook's, unless it is a Kumu map (that reads its own Elements and Connections sheets). */
export const asksSheet = (format: ImportFormat, filename: string | undefined) => format !== "kumu" && isWorkbook(filename);

/** The wide layout's map, one `COLUMN=metric-code` a line: the pairs, and the lines that are not one. */
export function parseMap(text: string): { pairs: string[]; bad: string[] } {
  const pairs: string[] = [];
  const bad: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const at = line.indexOf("=");
    const column = line.slice(0, at).trim();
    const code = line.slice(at + 1).trim();
    if (at < 0 || !column || !code) bad.push(line);
    else pairs.push(`${column}=${code}`);
  }
  return { pairs, bad };
}

export type Choice = { kind: ImportKind; format: ImportFormat; metric: string; date: string; map: string; sheet: string };

/** The POST's query: only what applies to this kind, layout and file; empty inputs left out. */
export function queryOf(choice: Choice, dryRun: boolean, filename?: string): ImportQuery {
  const need = needs(choice.kind, choice.format);
  const text = (on: boolean, value: string) => (on && value.trim() ? value.trim() : undefined);
  const map = need.map ? parseMap(choice.map).pairs : [];
  return {
    kind: choice.kind,
    format: choice.format,
    dry_run: dryRun,
    metric: text(need.metric, choice.metric),
    date: text(need.date, choice.date),
    sheet: text(asksSheet(choice.format, filename), choice.sheet),
    map: map.length ? map : undefined,
  };
}

/** What is wrong before anything is sent, by input. */
export function checkChoice(choice: Choice, file: File | undefined): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!file) errors["file"] = "Choose a CSV or Excel (.xlsx) file.";
  const { bad } = needs(choice.kind, choice.format).map ? parseMap(choice.map) : { bad: [] };
  if (bad.length) errors["map"] = `Write each line as COLUMN=metric-code; not: ${bad.map((b) => `“${b}”`).join(", ")}.`;
  return errors;
}

/** The inputs the API's validation errors name ("query.date" → date); the rest are general. */
const FIELD: Record<string, string> = {
  "query.kind": "kind",
  "query.format": "format",
  query: "format", // the layout cannot hold that kind: said of the query as a whole
  "query.metric": "metric",
  "query.date": "date",
  "query.map": "map",
  "query.sheet": "sheet",
  "body.file": "file",
  body: "file",
};

/** A refused upload's message, by input: 413 is the file's; 422 errors go where they belong. */
export function uploadErrors(status: number, problem: Problem | undefined): { byField: Record<string, string>; general: string[] } {
  const byField: Record<string, string> = {};
  const general: string[] = [];
  if (status === 0) return { byField, general: ["The API cannot be reached, so nothing was sent. Try again in a moment."] };
  if (status === 413) {
    const limit = Number(/(\d+) bytes/.exec(problem?.detail ?? "")?.[1]);
    byField["file"] = Number.isFinite(limit) ? `The file is too large: the limit is ${size(limit)}.` : (problem?.detail ?? "The file is too large.");
    return { byField, general };
  }
  for (const error of problem?.errors ?? []) {
    const name = FIELD[error.field] ?? FIELD[error.field.replace(/\.\d+$/, "")];
    const message = error.message.replace(/^Value error, /, "");
    if (name) byField[name] = byField[name] ? `${byField[name]} ${message}` : message;
    else general.push(message);
  }
  if (!problem?.errors?.length) general.push(problem?.detail ?? problem?.title ?? `The API answered ${status}.`);
  return { byField, general };
}

/** 1536 → "1.5 KB", 209715200 → "200 MB". */
export function size(bytes: number): string {
  const units = ["bytes", "KB", "MB", "GB"];
  let n = bytes;
  let unit = 0;
  while (n >= 1024 && unit < units.length - 1) {
    n /= 1024;
    unit++;
  }
  return `${unit === 0 ? n : Number(n.toFixed(1))} ${units[unit]}`;
}

export const finished = (record: ImportRecord) => record.status === "succeeded" || record.status === "failed";

/** How long to wait before asking again: 500 ms, growing to 2 s. */
export const nextDelay = (ms: number) => Math.min(2000, Math.round(ms * 1.5));

/** What the live region says while an import runs: "Checking orgs.csv… 1,500 rows so far". */
export function progressOf(record: ImportRecord, name: string): string {
  if (record.status === "queued") return `${name} is waiting for another import to finish…`;
  const doing = `${record.dry_run ? "Checking" : "Importing"} ${name}…`;
  const rows = record.counts.rows;
  return rows ? `${doing} ${rows.toLocaleString("en-GB")} ${rows === 1 ? "row" : "rows"} so far` : doing;
}

/** "1 row: would create 1, update 0 and leave 0 alone; 0 rejected." (or what was done). */
export function summary(record: ImportRecord): string {
  const c = record.counts;
  const verbs = record.dry_run
    ? `would create ${c.created}, update ${c.updated} and leave ${c.unchanged} alone`
    : `created ${c.created}, updated ${c.updated} and left ${c.unchanged} alone`;
  return `${count(c.rows, "row")}: ${verbs}; ${c.rejected} rejected.`;
}

/** The status of an import in words, a check told from an import. */
export function statusLabel(record: ImportRecord): string {
  if (record.status === "queued") return "Waiting";
  if (record.status === "running") return record.dry_run ? "Checking" : "Importing";
  if (record.status === "succeeded") return record.dry_run ? "Checked: no problems" : "Imported";
  return record.dry_run ? "Checked: problems found" : "Not imported";
}

export const kindLabel = (kind: ImportKind) => KINDS.find((k) => k.value === kind)?.label ?? kind;
export const layoutLabel = (format: ImportFormat) => LAYOUTS.find((l) => l.value === format)?.label ?? format;
