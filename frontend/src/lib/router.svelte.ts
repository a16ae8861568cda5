/** A small history router: every view has a URL; back and forward work. */

export type Route =
  | { view: "dashboard" }
  | { view: "mission"; id: string }
  | { view: "stakeholders"; query: URLSearchParams }
  | { view: "stakeholder"; id: string }
  | { view: "stakeholder-edit"; id: string }
  | { view: "collaboration"; id: string }
  | { view: "collaboration-new"; query: URLSearchParams }
  | { view: "stakeholder-new" }
  | { view: "collaboration-edit"; id: string }
  | { view: "story-new"; query: URLSearchParams }
  | { view: "story-edit"; id: string }
  | { view: "support"; query: URLSearchParams }
  | { view: "sign-in"; next: string }
  | { view: "region"; query: URLSearchParams }
  | { view: "network"; query: URLSearchParams }
  | { view: "stories"; query: URLSearchParams }
  | { view: "imports" }
  | { view: "report" }
  | { view: "embed-metric"; id: string; area: string; breakdown: string; collaboration: string }
  | { view: "not-found"; path: string };

export function match(pathname: string, search = ""): Route {
  let parts: string[];
  try {
    parts = pathname.split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    return { view: "not-found", path: pathname }; // a malformed %-escape
  }
  if (parts.length === 0) return { view: "dashboard" };
  if (parts[0] === "missions" && parts.length === 2) return { view: "mission", id: parts[1]! };
  if (parts[0] === "stakeholders" && parts.length === 1) return { view: "stakeholders", query: new URLSearchParams(search) };
  if (parts[0] === "stakeholders" && parts.length === 2 && parts[1] === "new") return { view: "stakeholder-new" };
  if (parts[0] === "stakeholders" && parts.length === 2) return { view: "stakeholder", id: parts[1]! };
  if (parts[0] === "stakeholders" && parts.length === 3 && parts[2] === "edit") return { view: "stakeholder-edit", id: parts[1]! };
  if (parts[0] === "collaborations" && parts.length === 2 && parts[1] === "new") return { view: "collaboration-new", query: new URLSearchParams(search) };
  if (parts[0] === "collaborations" && parts.length === 2) return { view: "collaboration", id: parts[1]! };
  if (parts[0] === "collaborations" && parts.length === 3 && parts[2] === "edit") return { view: "collaboration-edit", id: parts[1]! };
  if (parts[0] === "stories" && parts.length === 2 && parts[1] === "new") return { view: "story-new", query: new URLSearchParams(search) };
  if (parts[0] === "stories" && parts.length === 3 && parts[2] === "edit") return { view: "story-edit", id: parts[1]! };
  if (parts[0] === "support" && parts.length === 1) return { view: "support", query: new URLSearchParams(search) };
  if (parts[0] === "sign-in" && parts.length === 1) return { view: "sign-in", next: safeNext(new URLSearchParams(search).get("next")) };
  if (parts[0] === "stories" && parts.length === 1) return { view: "stories", query: new URLSearchParams(search) };
  if (parts[0] === "network" && parts.length === 1) return { view: "network", query: new URLSearchParams(search) };
  if (parts[0] === "region" && parts.length === 1) return { view: "region", query: new URLSearchParams(search) };
  if (parts[0] === "imports" && parts.length === 1) return { view: "imports" };
  if (parts[0] === "report" && parts.length === 1) return { view: "report" };
  if (parts[0] === "embed" && parts[1] === "metrics" && parts.length === 3) return { view: "embed-metric", id: parts[2]!, ...embedOptions(search) };
  return { view: "not-found", path: pathname };
}

/** An embedded figure's options: the area (id or GSS code), the breakdown (`age:65+`), a collaboration; "" when not given. */
function embedOptions(search: string): { area: string; breakdown: string; collaboration: string } {
  const query = new URLSearchParams(search);
  const option = (name: string) => query.get(name) ?? "";
  return { area: option("area"), breakdown: option("breakdown"), collaboration: option("collaboration") };
}

/** Where to go after signing in: only a path in this app, never another site. */
function safeNext(next: string | null): string {
  if (!next?.startsWith("/")) return "/";
  const url = new URL(next, location.origin);
  return url.origin === location.origin ? url.pathname + url.search : "/";
}

class Router {
  route = $state<Route>(match(location.pathname, location.search));

  constructor() {
    addEventListener("popstate", () => this.sync());
  }

  sync(): void {
    this.route = match(location.pathname, location.search);
  }

  go(url: string, replace = false): void {
    // An embedded figure is a document of its own (main.ts), never a view inside the app's chrome.
    const next = new URL(url, location.origin);
    if (match(next.pathname, next.search).view === "embed-metric") return location.assign(next);
    // Entries this app made are marked, so "Previous page" knows when going back stays in the app.
    if (replace) history.replaceState(history.state, "", url);
    else history.pushState({ app: true }, "", url);
    this.sync();
    if (!replace) scrollTo(0, 0);
  }
}

export const router = new Router();

/** `path` with `query` changed: empty values are dropped (filters and cursors live in the URL). */
export function withQuery(path: string, query: URLSearchParams, changes: Record<string, string | undefined>): string {
  const next = new URLSearchParams(query);
  for (const [key, value] of Object.entries(changes)) {
    if (value) next.set(key, value);
    else next.delete(key);
  }
  return next.size ? `${path}?${next}` : path;
}

/** For <a href> clicks: same-origin, plain left clicks become history navigation. */
export function navigate(event: MouseEvent): void {
  const link = (event.currentTarget as HTMLAnchorElement | null) ?? null;
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  if (link.origin !== location.origin) return;
  event.preventDefault();
  router.go(link.pathname + link.search);
}
