/** Progress statuses as words and colours: never colour alone. */
export type Status = "achieved" | "on_track" | "at_risk" | "off_track" | "no_data";

export const STATUS_LABEL: Record<Status, string> = {
  achieved: "Achieved",
  on_track: "On track",
  at_risk: "At risk",
  off_track: "Off track",
  no_data: "No data yet",
};

export function percent(progress: number | null | undefined): string {
  if (progress === null || progress === undefined) return "—";
  return `${Math.round(Math.max(0, Math.min(1, progress)) * 100)}%`;
}

export function pounds(pence: number): string {
  return new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP", maximumFractionDigits: 0 }).format(
    pence / 100,
  );
}

/** "1 organisation", "3 organisations", "0 stories". */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
