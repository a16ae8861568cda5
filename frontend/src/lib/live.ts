/** What a view's live region says once a list's results have arrived. */
// The schema, not the client: the end-to-end tests use these words too, outside the app's build.
import type { components } from "./api/schema";
import { count } from "./status";
import { breakdownLabel } from "./values";

/** "23 organisations match.", "1 scheme matches.", "No organisation matches."; a page of many says there is more. */
export function matchWords(n: number, one: string, many = `${one}s`, more = false): string {
  if (n === 0) return `No ${one} matches.`;
  const counted = n === 1 ? `1 ${one} matches` : `${n} ${many} match`;
  return more ? `${counted} on this page; more on the next.` : `${counted}.`;
}

type Comparison = Pick<components["schemas"]["Comparison"], "items" | "period" | "breakdown">;

/** The region view's news: "Full fibre coverage: figures for 7 authorities in 2024 and 12 UK regions in 2023." */
export function comparedWords(metric: string, authorities: Comparison, regions: Comparison): string {
  const part = Object.keys(authorities.breakdown ?? {}).length ? `, ${breakdownLabel(authorities.breakdown)}` : "";
  const when = (answer: Comparison) => (answer.period ? ` in ${answer.period}` : "");
  const authoritiesWords = count(authorities.items.length, "authority", "authorities");
  return `${metric}${part}: figures for ${authoritiesWords}${when(authorities)} and ${count(regions.items.length, "UK region")}${when(regions)}.`;
}
