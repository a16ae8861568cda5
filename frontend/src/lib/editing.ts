/** What RecordEditor needs to edit one record: read it with its ETag, patch it, and say who last changed it. */
import { api, load, loadTagged } from "./api/client";

type Collection = "stakeholders" | "collaborations" | "stories";
type Tagged = { data: Record<string, unknown>; etag: string };

export function editing(collection: Collection, id: string) {
  // One path template for the three collections: openapi-fetch cannot type a union of paths,
  // so the narrowing is here, once; each call is still checked by the API (422 for a bad body).
  const item = `/api/v1/${collection}/{id}` as "/api/v1/stakeholders/{id}";
  const history = `/api/v1/${collection}/{id}/history` as "/api/v1/stakeholders/{id}/history";
  const path = { id };
  return {
    fetchRecord: (): Promise<Tagged> => loadTagged(api.GET(item, { params: { path } })),
    save: (patch: Record<string, unknown>, etag: string): Promise<Tagged> =>
      loadTagged(api.PATCH(item, { params: { path, header: { "If-Match": etag } }, body: patch })),
    lastChange: async () => (await load(api.GET(history, { params: { path, query: { limit: 1 } } }))).items[0],
  };
}
