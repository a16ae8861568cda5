/** Choices several views offer as filters: fetched once per page load and shared. */
import { api, load, type Schemas } from "./api/client";

export type Kind = Schemas["StakeholderKind"];
export const KINDS: Kind[] = Object.keys({
  local_authority: 0, combined_authority: 0, lep: 0, university: 0, college: 0, business: 0,
  public_body: 0, health: 0, third_sector: 0, network: 0, investor: 0, person: 0,
} satisfies Record<Kind, 0>) as Kind[];

let missionList: Promise<Schemas["Mission"][]> | undefined;
let areaList: Promise<Schemas["Area"][]> | undefined;

export function missions(): Promise<Schemas["Mission"][]> {
  missionList ??= load(api.GET("/api/v1/missions", { params: { query: { sort: "code", limit: 50 } } })).then((p) => p.items);
  missionList.catch(() => (missionList = undefined)); // a failed fetch is retried next time
  return missionList;
}

/** Areas a filter offers: the region's authorities and partnerships, and the UK regions. */
export function areas(): Promise<Schemas["Area"][]> {
  areaList ??= load(api.GET("/api/v1/areas", { params: { query: { sort: "name", limit: 500 } } })).then((p) => p.items);
  areaList.catch(() => (areaList = undefined));
  return areaList;
}

/** Areas as form choices: "Coventry (local authority)". */
export async function areaChoices(): Promise<{ value: string; label: string }[]> {
  return (await areas()).map((a) => ({ value: a.id, label: `${a.name} (${a.kind.replaceAll("_", " ")})` }));
}

/** Outcomes as form choices, in roadmap order: "M1.2 Digital skills gap closed". */
export async function outcomeChoices(): Promise<{ value: string; label: string }[]> {
  const page = await load(api.GET("/api/v1/outcomes", { params: { query: { sort: "code", limit: 500 } } }));
  return page.items.map((o) => ({ value: o.id, label: `${o.code} ${o.title}` }));
}
