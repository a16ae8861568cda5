/** Who is signed in: OAuth2 password sign-in, tokens kept for this tab, refreshed before they expire. */
import type { Middleware } from "openapi-fetch";

import { apiBase } from "./config";
import type { components } from "./api/schema";

type Me = components["schemas"]["Me"];
type TokenPair = components["schemas"]["TokenPair"];
type Tokens = { access: string; refresh: string; expiresAt: number };

const KEY = "roadmap.session";
// Refresh this long before the access token expires, so no request goes out with a stale one.
const MARGIN_MS = 30_000;

/** A sign-in the API refused: the problem's detail, or a plain message when the API is down. */
export class SignInError extends Error {}
/** The API did not answer: a sign-in is not over just because the network blinked. */
class Unreachable extends SignInError {}
/** Whether the API said no to what was typed (not that it could not be reached). */
export const refused = (error: unknown): boolean => error instanceof SignInError && !(error instanceof Unreachable);

function stored(): Tokens | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Tokens) : null;
  } catch {
    return null;
  }
}

async function tokenCall(form: Record<string, string>): Promise<Tokens> {
  let response: Response;
  try {
    response = await fetch(`${apiBase()}/api/v1/auth/token`, { method: "POST", body: new URLSearchParams(form) });
  } catch {
    throw new Unreachable("The API cannot be reached.");
  }
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as { detail?: string; title?: string };
    const message = problem.detail ?? problem.title ?? `Sign-in failed (HTTP ${response.status}).`;
    // 400 and 401 are the API refusing; anything else (429, 5xx) says nothing about the sign-in itself.
    throw response.status === 400 || response.status === 401 ? new SignInError(message) : new Unreachable(message);
  }
  const pair = (await response.json()) as TokenPair;
  return { access: pair.access_token, refresh: pair.refresh_token, expiresAt: Date.now() + pair.expires_in * 1000 };
}

export class Session {
  me = $state<Me | null>(null);
  /** Settles once a stored sign-in has been checked (or there was none). */
  ready: Promise<void>;
  #tokens: Tokens | null = stored();
  #refreshing: Promise<string | null> | null = null;

  constructor() {
    this.ready = this.#tokens ? this.#whoAmI().catch((error: unknown) => this.#endUnlessUnreachable(error)) : Promise.resolve();
  }

  /** May the signed-in caller edit this stakeholder? (The API decides; this only hides what it would refuse.) */
  canEditStakeholder(id: string): boolean {
    return this.isEditor || (this.me?.role === "partner" && this.me.stakeholder_id === id);
  }

  /** Editors, or the partner organisation that leads it. */
  canEditCollaboration(participants: { stakeholder_id: string; role: string }[]): boolean {
    const me = this.me;
    if (me?.role === "admin" || me?.role === "editor") return true;
    return me?.role === "partner" && participants.some((p) => p.role === "lead" && p.stakeholder_id === me.stakeholder_id);
  }

  /** Editors; or a partner, for a draft about its own organisation (the API also allows those it leads). */
  canEditStory(story: { stakeholder_ids: string[]; publication: string }): boolean {
    const me = this.me;
    return this.isEditor || (me?.role === "partner" && story.publication === "draft" && story.stakeholder_ids.includes(me.stakeholder_id ?? ""));
  }

  get isEditor(): boolean {
    return this.me?.role === "admin" || this.me?.role === "editor";
  }

  /** Editors and partners bring files in (a partner's rows are checked against what it owns). */
  get canImport(): boolean {
    return this.isEditor || this.me?.role === "partner";
  }

  async signIn(email: string, password: string): Promise<void> {
    this.#keep(await tokenCall({ grant_type: "password", username: email, password }));
    try {
      await this.#whoAmI();
    } catch (error) {
      this.#forget(); // half signed in is worse than not signed in
      throw error;
    }
  }

  async signOut(): Promise<void> {
    const refresh = this.#tokens?.refresh;
    this.#forget();
    if (refresh) {
      await fetch(`${apiBase()}/api/v1/auth/revoke`, { method: "POST", body: new URLSearchParams({ token: refresh }) }).catch(
        () => undefined,
      );
    }
  }

  /** A usable access token, refreshed when it is about to expire; null when signed out. */
  async token(): Promise<string | null> {
    const tokens = this.#tokens;
    if (!tokens) return null;
    if (tokens.expiresAt - Date.now() > MARGIN_MS) return tokens.access;
    // One refresh at a time: a rotated refresh token used twice would end the sign-in.
    this.#refreshing ??= tokenCall({ grant_type: "refresh_token", refresh_token: tokens.refresh })
      .then((fresh) => {
        if (this.#tokens !== tokens) return null; // signed out meanwhile: do not bring it back
        this.#keep(fresh);
        return fresh.access;
      })
      .catch((error: unknown) => (this.#endUnlessUnreachable(error), null))
      .finally(() => (this.#refreshing = null));
    return this.#refreshing;
  }

  /** openapi-fetch middleware: send the token; a 401 while signed in means the sign-in has ended. */
  middleware: Middleware = {
    onRequest: async ({ request }) => {
      const token = await this.token();
      if (token && !request.headers.has("Authorization")) request.headers.set("Authorization", `Bearer ${token}`);
      return request;
    },
    onResponse: ({ request, response }) => {
      if (response.status === 401 && request.headers.has("Authorization")) this.#forget();
      // The API was unreachable when the tab opened: now it answers, learn who is signed in.
      else if (response.ok && this.#tokens && !this.me) void this.#whoAmI().catch((error: unknown) => this.#endUnlessUnreachable(error));
      return response;
    },
  };

  async #whoAmI(): Promise<void> {
    const token = await this.token();
    if (!token) throw new Unreachable("No token to check."); // a refused refresh has already signed out
    const response = await fetch(`${apiBase()}/api/v1/auth/me`, { headers: { Authorization: `Bearer ${token}` } }).catch(() => {
      throw new Unreachable("The API cannot be reached.");
    });
    if (response.status === 401) throw new SignInError("The sign-in was not accepted.");
    if (!response.ok) throw new Unreachable(`The API answered ${response.status}.`);
    this.me = (await response.json()) as Me;
  }

  #endUnlessUnreachable(error: unknown): void {
    if (!(error instanceof Unreachable)) this.#forget();
  }

  #keep(tokens: Tokens): void {
    this.#tokens = tokens;
    sessionStorage.setItem(KEY, JSON.stringify(tokens));
  }

  #forget(): void {
    this.#tokens = null;
    this.me = null;
    sessionStorage.removeItem(KEY);
  }
}

export const session = new Session();
