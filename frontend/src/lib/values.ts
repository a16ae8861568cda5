/** Metric values in words: what the publisher flags about them, their notes, and the breakdown they are for. */
import type { components } from "./api/schema";

export type Flag = components["schemas"]["Flag"];
export type Breakdown = Record<string, string>;

export const FLAG_WORDS: Record<Flag, string> = {
  break_in_series: "Break in series",
  provisional: "Provisional",
  estimated: "Estimated",
  revised: "Revised",
};
const FLAG_ORDER = Object.keys(FLAG_WORDS) as Flag[];

/** The flags in words, a break in series first (it changes how the value reads), the rest in a fixed order. */
export function flagWords(flags: readonly Flag[] | null | undefined): string[] {
  return FLAG_ORDER.filter((f) => flags?.includes(f)).map((f) => FLAG_WORDS[f]);
}

/** A table's Notes cell: "Break in series, Provisional. New survey method." */
export function notes(value: { flags?: readonly Flag[] | null; note?: string | null }): string {
  const words = flagWords(value.flags).join(", ");
  const note = value.note?.trim() ?? "";
  return words && note ? `${words}. ${note}` : words || note;
}

/** How a value is drawn: measured (filled), or a symbol of its own for the first of provisional, estimated, revised. */
export type Marker = "measured" | "provisional" | "estimated" | "revised";
export const MARKER_WORDS: Record<Marker, string> = {
  measured: "Measured",
  provisional: "Provisional",
  estimated: "Estimated",
  revised: "Revised",
};
export const MARKERS = Object.keys(MARKER_WORDS) as Marker[];

export function markerOf(flags: readonly Flag[] | null | undefined): Marker {
  return (["provisional", "estimated", "revised"] as const).find((f) => flags?.includes(f)) ?? "measured";
}

export const breaksSeries = (flags: readonly Flag[] | null | undefined) => Boolean(flags?.includes("break_in_series"));

/** "age 65+, sex Female"; "Total" for the totals ({}). */
export function breakdownLabel(breakdown: Breakdown | null | undefined): string {
  const parts = Object.entries(breakdown ?? {});
  return parts.length ? parts.map(([name, value]) => `${name} ${value}`).join(", ") : "Total";
}

/** A breakdown as the API's `breakdown` query takes it: `age:65+;sex:Female`, or `total`. */
export function breakdownQuery(breakdown: Breakdown | null | undefined): string {
  const parts = Object.entries(breakdown ?? {});
  return parts.length ? parts.map(([name, value]) => `${name}:${value}`).join(";") : "total";
}
