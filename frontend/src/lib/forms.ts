/** Editing forms: the field specs generated from the API schemas, and the plain logic behind a form. */
import type { Problem } from "./api/client";

export type FieldKind = "text" | "longtext" | "url" | "email" | "tel" | "date" | "number" | "money" | "boolean" | "choice" | "list";

export type Field<T = Record<string, unknown>> = {
  name: keyof T & string;
  label: string;
  kind: FieldKind;
  nullable: boolean;
  required?: boolean;
  hint?: string;
  options?: string[];
  min?: number;
  max?: number;
  maxItems?: number;
  maxLength?: number;
  default?: unknown;
};

export type Choice = { value: string; label: string };
/** A list field offered as choices (e.g. areas by name) instead of typed one per line. */
export type Choices = Record<string, Choice[]>;

/** What an input holds: text, a checkbox, or the values picked from a list of choices. */
export type FormValue = string | boolean | string[];
export type Draft = Record<string, FormValue>;

export function toForm(field: Field, value: unknown, choices?: Choices): FormValue {
  if (field.kind === "boolean") return Boolean(value);
  if (field.kind === "list") {
    const items = Array.isArray(value) ? value.map(String) : [];
    return choices?.[field.name] ? items : items.join("\n");
  }
  if (value === null || value === undefined) return "";
  return field.kind === "money" ? (Number(value) / 100).toFixed(2).replace(/\.00$/, "") : String(value);
}

/** The API value of an input. Unparseable text goes as typed, so the API's message explains it. */
export function fromForm(field: Field, value: FormValue): unknown {
  if (typeof value === "boolean" || Array.isArray(value)) return value;
  if (field.kind === "list") return value.split("\n").map((line) => line.trim()).filter(Boolean);
  if (value.trim() === "" && field.nullable) return null;
  if (field.kind === "number" || field.kind === "money") {
    const number = Number(field.kind === "money" ? value.replace(/[£,\s]/g, "") : value);
    if (!Number.isFinite(number)) return value;
    return field.kind === "money" ? Math.round(number * 100) : number;
  }
  return value;
}

/** A new record's starting values: the schema's defaults, else empty. */
export function defaultsOf(fields: Field[]): Record<string, unknown> {
  const empty = (f: Field) => (f.kind === "list" ? [] : f.kind === "boolean" ? false : null);
  return Object.fromEntries(fields.map((f) => [f.name, f.default ?? empty(f)]));
}

export function draftOf(fields: Field[], record: Record<string, unknown>, choices?: Choices): Draft {
  return Object.fromEntries(fields.map((f) => [f.name, toForm(f, record[f.name], choices)]));
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const changed = (f: Field, a: Draft, b: Draft) => !same(fromForm(f, a[f.name]!), fromForm(f, b[f.name]!));

/** Only what the user changed: a PATCH touches nothing else, so it cannot undo someone else's edit. */
export function patchOf(fields: Field[], base: Draft, draft: Draft): Record<string, unknown> {
  return Object.fromEntries(fields.filter((f) => changed(f, base, draft)).map((f) => [f.name, fromForm(f, draft[f.name]!)]));
}

/** Every field's API value: the body of a create. */
export function valuesOf(fields: Field[], draft: Draft): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f.name, fromForm(f, draft[f.name]!)]));
}

/**
 * After losing a race: start from the latest saved version and re-apply the user's own changes,
 * so nothing typed is lost. `conflicts` are fields both sides changed, to different values.
 */
export function rebase(fields: Field[], base: Draft, draft: Draft, latest: Draft): { draft: Draft; kept: string[]; conflicts: string[] } {
  const mine = fields.filter((f) => changed(f, base, draft));
  const next: Draft = { ...latest };
  for (const f of mine) next[f.name] = draft[f.name]!;
  return {
    draft: next,
    kept: mine.map((f) => f.name),
    conflicts: mine.filter((f) => changed(f, base, latest) && changed(f, latest, draft)).map((f) => f.name),
  };
}

/** The API's validation problems, by field name ("body.sectors.0" → "sectors"); the rest stay general. */
export function fieldErrors(problem: Problem | undefined, fields: Field[]): { byField: Record<string, string>; general: string[] } {
  const names = new Set(fields.map((f) => f.name));
  const byField: Record<string, string> = {};
  const general: string[] = [];
  for (const error of problem?.errors ?? []) {
    const name = error.field.replace(/^body\./, "").split(".")[0]!;
    if (names.has(name)) byField[name] = byField[name] ? `${byField[name]} ${error.message}` : error.message;
    else general.push(error.message);
  }
  if (!problem?.errors?.length && problem) general.push(problem.detail ?? problem.title);
  return { byField, general };
}

// Enum values that read badly as they are (a value's qualifier, a metric's progress method).
const WORDS: Record<string, string> = {
  eq: "exactly",
  lt: "under",
  gt: "over",
  approx: "about",
  pace: "Pace toward the target",
  open_sdg: "Open SDG's progress measure",
};

/** "local_authority" → "local authority", "lt" → "under". */
export const optionLabel = (value: string) => WORDS[value] ?? value.replaceAll("_", " ");
