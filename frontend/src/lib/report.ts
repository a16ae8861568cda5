/** What a printed report says of its dates: the day it was made, and how recent its figures are. */

const LONG = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

/** "2026-12-02" as "2 December 2026" (the date as given, whatever the reader's time zone). */
export function longDate(date: string): string {
  return LONG.format(new Date(`${date}T00:00:00Z`));
}

/** The reader's own date today, as YYYY-MM-DD. */
export function today(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

type Dated = { date: string } | null | undefined;
type Judged = { items: readonly { baseline?: Dated; latest?: Dated }[] };

/** The newest figure among metrics' scopes (baselines and observations; targets lie ahead, so not they); null with none. */
export function latestFigure(progress: readonly Judged[]): string | null {
  const dates = progress.flatMap((p) => p.items.flatMap((s) => [s.baseline?.date, s.latest?.date])).filter((d) => d !== undefined);
  return dates.length ? dates.reduce((a, b) => (a > b ? a : b)) : null;
}
