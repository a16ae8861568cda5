/** The network view's plain logic: which collaborations are left out, sizes drawn, and words. */
// The schema, not the client: the end-to-end tests use these words too, outside the app's build.
import type { components } from "./api/schema";
import { count } from "./status";

type Kind = components["schemas"]["CollaborationKind"];
type Node = components["schemas"]["Node"];

const KINDS: readonly Kind[] = ["partnership", "project", "programme", "working_group", "board", "consortium", "funding_bid", "event"];
/** Governance and events: what the view's checkbox leaves out (the API's own grouping). */
export const GOVERNANCE: readonly Kind[] = ["board", "event", "working_group"];
/** In the URL, one word stands for the three. */
const GOVERNANCE_WORD = "governance";

/** The kinds the URL's `exclude` leaves out: a comma-separated list, `governance` for the three; unknown words ignored. */
export function excludedKinds(param: string | null): Kind[] {
  const words = (param ?? "").split(",").map((w) => w.trim());
  const kinds = new Set<Kind>();
  for (const word of words) {
    if (word === GOVERNANCE_WORD) GOVERNANCE.forEach((k) => kinds.add(k));
    else if ((KINDS as readonly string[]).includes(word)) kinds.add(word as Kind);
  }
  return KINDS.filter((k) => kinds.has(k));
}

/** Whether boards, working groups and events are all left out. */
export const leavesOutGovernance = (kinds: readonly Kind[]): boolean => GOVERNANCE.every((k) => kinds.includes(k));

/** The URL's `exclude` for these kinds (none: no parameter), the three as one word. */
export function excludeParam(kinds: readonly Kind[]): string | undefined {
  const governance = leavesOutGovernance(kinds);
  const rest = KINDS.filter((k) => kinds.includes(k) && !(governance && GOVERNANCE.includes(k)));
  const words = [...(governance ? [GOVERNANCE_WORD] : []), ...rest];
  return words.length ? words.join(",") : undefined;
}

/** The kinds left out once the checkbox is ticked (or unticked): other exclusions stay. */
export function withGovernance(kinds: readonly Kind[], leaveOut: boolean): Kind[] {
  const rest = kinds.filter((k) => !GOVERNANCE.includes(k));
  return excludedKinds([...rest, ...(leaveOut ? GOVERNANCE : [])].join(","));
}

/**
 * A link's thickness in pixels, from its strength: a two-partner project (1) is drawn at 2,
 * a 16-member meeting's links (1/15 each) at about half a pixel; capped so that hubs stay readable.
 */
export const edgeSize = (strength: number): number => Math.min(0.5 + 1.5 * Math.max(strength, 0), 6);

/** A dot's radius from the organisation's strength (its links' weights, summed). */
export const nodeSize = (strength: number): number => 3 + Math.sqrt(Math.max(strength, 0)) * 2.5;

/** A strength for reading: at most two decimals (1/15 is 0.07, 16.000000000000007 is 16). */
export const strengthWords = (strength: number): string =>
  strength.toLocaleString("en-GB", { maximumFractionDigits: 2, minimumFractionDigits: 0 });

/** The organisations with the strongest links first; then the most partners, then by name. */
export function strongest(nodes: readonly Node[], limit: number): Node[] {
  return [...nodes].sort((a, b) => b.strength - a.strength || b.degree - a.degree || a.name.localeCompare(b.name)).slice(0, limit);
}

/**
 * The API's method for readers: without its references to query parameters ("(`exclude`)"),
 * other code marks, or underscores in kinds' names.
 */
export function methodWords(method: string): string {
  return method
    .replace(/\s*\(`[^`]*`\)/g, "")
    .replace(/`([^`]*)`/g, "$1")
    .replace(/([a-z])_([a-z])/g, "$1 $2");
}

/** What the status line says: how many organisations and links, and what is left out. */
export function networkWords(nodes: number, edges: number, excluded: readonly Kind[]): string {
  const shown = `${count(nodes, "organisation")}, ${count(edges, "link")}.`;
  if (excluded.length === 0) return shown;
  if (excluded.length === GOVERNANCE.length && leavesOutGovernance(excluded)) return `${shown} Boards, working groups and events are left out.`;
  return `${shown} Left out: ${excluded.map((k) => k.replaceAll("_", " ")).join(", ")}.`;
}
