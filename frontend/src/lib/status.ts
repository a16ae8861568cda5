/** Progress statuses, roll-ups and methods as words (and colours that only repeat them: never colour alone). */
import type { components } from "./api/schema";

type S = components["schemas"];
export type Status = S["Status"];
export type ProgressMethod = S["ProgressMethod"];

export const STATUS_LABEL: Record<Status, string> = {
  achieved: "Achieved",
  on_track: "On track",
  at_risk: "At risk",
  off_track: "Off track",
  uncertain: "Uncertain (a bound)",
  no_observation: "No figures since the baseline",
  no_target: "No target set",
  no_baseline: "No baseline recorded",
  stale: "Stale data",
};

/** One scope's status: "Uncertain" without "(a bound)" when no bound made it so (a growth rate needing values above zero). */
export function scopeLabel(scope: Pick<S["ScopeProgress"], "status" | "bounded">): string {
  return scope.status === "uncertain" && !scope.bounded ? "Uncertain" : STATUS_LABEL[scope.status];
}

/** A roll-up's status: as a scope's, and "No baseline yet" when it holds no scope at all (nothing to judge). */
export function summaryLabel(summary: Pick<S["Summary"], "status" | "counts" | "bounded">): string {
  if (scopes(summary) === 0) return "No baseline yet";
  return summary.status === "uncertain" && summary.bounded === 0 ? "Uncertain" : STATUS_LABEL[summary.status];
}

// The order counts are said in: the rated, best first, then the rest. The words follow a number.
const COUNT_WORDS: Partial<Record<Status, string>> = {
  achieved: "achieved",
  on_track: "on track",
  at_risk: "at risk",
  off_track: "off track",
  uncertain: "uncertain",
  no_target: "with no target set",
  no_observation: "with no figures since the baseline",
  no_baseline: "measured without a baseline",
};

function scopes(summary: Pick<S["Summary"], "counts">): number {
  return Object.values(summary.counts).reduce((sum, n) => sum + n, 0);
}

/**
 * A roll-up's counts in words: "3 on track, 1 at risk, 2 with no target set, 4 with no figures since the
 * baseline; 2 stale; 1 judged from a bound". Statuses with none are left out; "" for no scope at all.
 */
export function countWords(summary: Pick<S["Summary"], "counts" | "stale" | "bounded">): string {
  if (scopes(summary) === 0) return "";
  const known = Object.keys(COUNT_WORDS) as Status[];
  // A status the API adds later is still counted, by its own name.
  const others = Object.keys(summary.counts).filter((s) => !known.includes(s as Status));
  const said = [...known, ...others]
    .filter((s) => (summary.counts[s] ?? 0) > 0)
    .map((s) => `${summary.counts[s]} ${COUNT_WORDS[s as Status] ?? s.replaceAll("_", " ")}`);
  const extra = [summary.stale > 0 ? `${summary.stale} stale` : "", summary.bounded > 0 ? `${summary.bounded} judged from a bound` : ""];
  return [said.join(", "), ...extra.filter(Boolean)].join("; ");
}

/** Why a roll-up has no progress figure, when it is not plainly that nothing is measured yet; "" otherwise. */
export function noProgressWords(summary: Pick<S["Summary"], "progress" | "counts">): string {
  if (summary.progress !== null || !summary.counts["uncertain"]) return "";
  return "no single figure, as bounds leave its metrics uncertain";
}

/** "stale: latest figure from 2024-06-30" for a scope not measured as often as its metric should be; "" otherwise. */
export function staleWords(scope: Pick<S["ScopeProgress"], "stale" | "latest">): string {
  if (!scope.stale) return "";
  return scope.latest ? `stale: latest figure from ${scope.latest.date}` : "stale";
}

export const METHOD_WORDS: Record<ProgressMethod, string> = {
  pace: "Judged by pace: how far it has come toward the target against how much of the time has gone",
  open_sdg: "Judged by Open SDG's progress measure: its growth a year against the growth the target needs",
};

/** How far from baseline to target: "50% of the way", or for a bound "between 25% and 67% of the way"; "" unmeasured. */
export function progressWords(progress: number | null | undefined, range?: readonly number[] | null): string {
  if (range?.length) {
    const [low, high] = [percent(Math.min(...range)), percent(Math.max(...range))];
    return low === high ? `${low} of the way` : `between ${low} and ${high} of the way`;
  }
  return progress === null || progress === undefined ? "" : `${percent(progress)} of the way`;
}

export function percent(progress: number | null | undefined): string {
  if (progress === null || progress === undefined) return "—";
  return `${Math.round(clamp(progress) * 100)}%`;
}

/** Progress drawn: 0 at the baseline, 1 at the target, nothing beyond either. */
export const clamp = (progress: number) => Math.max(0, Math.min(1, progress));

export function pounds(pence: number): string {
  return new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP", maximumFractionDigits: 0 }).format(
    pence / 100,
  );
}

/** "1 organisation", "3 organisations", "0 stories". */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
