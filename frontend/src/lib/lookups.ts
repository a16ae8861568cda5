/** Choices several views offer as filters, fetched once per page load and shared; and names by id. */
import { api, load, type Schemas } from "./api/client";
import type { Choice } from "./forms";

export type Kind = Schemas["StakeholderKind"];
export const KINDS: Kind[] = Object.keys({
  local_authority: 0, combined_authority: 0, lep: 0, university: 0, college: 0, business: 0,
  public_body: 0, health: 0, third_sector: 0, network: 0, investor: 0, person: 0,
} satisfies Record<Kind, 0>) as Kind[];

/** Every item of a list, following its cursors. */
export async function all<T>(page: (cursor: string | undefined) => Promise<{ items: T[]; next_cursor?: string | null }>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const next = await page(cursor);
    items.push(...next.items);
    cursor = next.next_cursor ?? undefined;
  } while (cursor);
  return items;
}

/** One shared fetch; a failed one is tried again next time. */
function shared<T>(fetch: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= fetch();
    pending.catch(() => (pending = undefined));
    return pending;
  };
}

export const missions = shared(() => all((cursor) => load(api.GET("/api/v1/missions", { params: { query: { sort: "code", limit: 500, cursor } } }))));

/** The region's authorities and partnerships, and the UK regions. */
export const areas = shared(() => all((cursor) => load(api.GET("/api/v1/areas", { params: { query: { sort: "name", limit: 500, cursor } } }))));

const outcomes = shared(() => all((cursor) => load(api.GET("/api/v1/outcomes", { params: { query: { sort: "code", limit: 500, cursor } } }))));

export const kindChoices: Promise<Choice[]> = Promise.resolve(KINDS.map((k) => ({ value: k, label: k.replaceAll("_", " ") })));

/** Areas as filter choices, by name. */
export async function areaOptions(): Promise<Choice[]> {
  return (await areas()).map((a) => ({ value: a.id, label: a.name }));
}

/** Areas as form choices: "Coventry (local authority)". */
export async function areaChoices(): Promise<Choice[]> {
  return (await areas()).map((a) => ({ value: a.id, label: `${a.name} (${a.kind.replaceAll("_", " ")})` }));
}

/** Outcomes as form choices, in roadmap order: "M1.2 Digital skills gap closed". */
export async function outcomeChoices(): Promise<Choice[]> {
  return (await outcomes()).map((o) => ({ value: o.id, label: `${o.code} ${o.title}` }));
}

/** Missions as form choices: "M1: Securing access…". */
export async function missionChoices(): Promise<Choice[]> {
  return (await missions()).map((m) => ({ value: m.id, label: `${m.code}: ${m.title}` }));
}

/** Organisations' names by id; one that has gone is named as such rather than failing the page. */
export async function stakeholderNames(ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  const named = await Promise.all(
    unique.map((id) =>
      load(api.GET("/api/v1/stakeholders/{id}", { params: { path: { id } } }))
        .then((s) => s.name)
        .catch(() => "an organisation no longer listed"),
    ),
  );
  return new Map(unique.map((id, i) => [id, named[i]!]));
}

/** A collaboration's participants with their organisations' names. */
export async function participantsOf(collaborationId: string) {
  const [participants, members] = await Promise.all([
    all((cursor) =>
      load(api.GET("/api/v1/collaborations/{collaboration_id}/participants", { params: { path: { collaboration_id: collaborationId }, query: { limit: 500, cursor } } })),
    ),
    all((cursor) => load(api.GET("/api/v1/stakeholders", { params: { query: { collaboration: collaborationId, limit: 500, cursor } } }))),
  ]);
  const names = new Map(members.map((s) => [s.id, s.name]));
  return participants.map((p) => ({ ...p, name: names.get(p.stakeholder_id) ?? "An organisation" }));
}
