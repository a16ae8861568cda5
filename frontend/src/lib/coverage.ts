/** A comparison across areas in words: which direction is better, and how fully each year is reported. */
import type { components } from "./api/schema";

type S = components["schemas"];

export function directionWords(direction: S["Direction"]): string {
  return direction === "higher_is_better" ? "Higher is better" : "Lower is better";
}

/** "2023: 7 of 7 areas and the UK"; a sparse year "2021: only 2 of 7 areas report: sparse". */
export function yearWords(year: S["YearCoverage"], groupSize: number, areas = "areas"): string {
  const uk = year.national ? " and the UK" : "";
  if (!year.sparse) return `${year.year}: ${year.areas} of ${groupSize} ${areas}${uk}`;
  return `${year.year}: only ${year.areas} of ${groupSize} ${areas}${uk} ${year.areas === 1 && !uk ? "reports" : "report"}: sparse`;
}

/**
 * A note for a comparison whose year is sparse (fewer than half the areas report), else "":
 * "2024 is a sparse year: only 1 of 8 areas reports, so the ranking compares few of them."
 */
export function sparseNote(comparison: Pick<S["Comparison"], "period" | "sparse" | "years" | "group_size" | "items">, areas = "areas"): string {
  if (!comparison.sparse || comparison.period === null) return "";
  const n = comparison.years.find((y) => y.year === comparison.period)?.areas ?? comparison.items.length;
  const verb = n === 1 ? "reports" : "report";
  return `${comparison.period} is a sparse year: only ${n} of ${comparison.group_size} ${areas} ${verb}, so the ranking compares few of them.`;
}
