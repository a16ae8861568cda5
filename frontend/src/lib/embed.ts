/** A metric's figure on other sites: its address, the HTML to paste, and which figures it shows. */

export type EmbedOptions = { area?: string; breakdown?: string; collaboration?: string };

/** `/embed/metrics/<id>?area=<GSS code or id>&breakdown=<age:65+>`: what the router reads back. */
export function embedUrl(origin: string, metricId: string, options: EmbedOptions = {}): string {
  const query = new URLSearchParams();
  for (const name of ["area", "breakdown", "collaboration"] as const) {
    const value = options[name];
    if (value) query.set(name, value);
  }
  return `${origin}/embed/metrics/${encodeURIComponent(metricId)}${query.size ? `?${query}` : ""}`;
}

const attribute = (text: string) => text.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

/** The HTML another site pastes in: an iframe named for what it shows (its title is what screen readers announce). */
export function embedSnippet(src: string, title: string): string {
  return `<iframe src="${attribute(src)}" title="${attribute(title)}" width="100%" height="720" style="border: 0" loading="lazy"></iframe>`;
}

type Scope = { area_id: string; area_code?: string | null; collaboration_id?: string | null; baseline: unknown };

/** A metric's scopes as its chart offers them: those with a baseline first, then those measured without one. */
export function orderScopes<T extends Scope>(items: readonly T[]): T[] {
  return [...items.filter((s) => s.baseline !== null), ...items.filter((s) => s.baseline === null)];
}

/**
 * The scope an embed asks for: the area's (by id or GSS code), area-wide unless a collaboration is
 * named; with no area, the first the chart would show. Undefined when the metric has no figures there.
 */
export function pickScope<T extends Scope>(scopes: readonly T[], area: string, collaboration = ""): T | undefined {
  const own = (s: T) => (s.collaboration_id ?? "") === collaboration;
  if (!area) return collaboration ? scopes.find(own) : scopes[0];
  const wanted = area.toLowerCase();
  return scopes.find((s) => own(s) && (s.area_id === area || s.area_code?.toLowerCase() === wanted));
}

/**
 * The breakdown an embed asks for, among the metric's (`age:65+`): "" or `total` is the total (null);
 * undefined when the metric has no such breakdown. A `+` typed into an address reads as a space: forgiven.
 */
export function pickBreakdown<T extends { query: string }>(items: readonly T[], wanted: string): T | null | undefined {
  if (wanted === "" || wanted === "total") return null;
  return items.find((b) => b.query === wanted) ?? items.find((b) => b.query === wanted.replaceAll(" ", "+"));
}
