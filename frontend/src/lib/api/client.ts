import createClient from "openapi-fetch";

import { apiBase } from "../config";
import { session } from "../session.svelte";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];
export type Problem = Schemas["Problem"];

// JSON answers only: lists also come as CSV or XLSX (`?format=`), which `loadFile` fetches.
export const api = createClient<paths, "application/json">({ baseUrl: apiBase() });
api.use(session.middleware);
export type Client = typeof api;

/** The same API without anyone's credentials: what the public sees (embedded figures). */
export const publicApi: Client = createClient<paths, "application/json">({ baseUrl: apiBase() });

/** A failed call, with the API's problem details when it sent some. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
  ) {
    super(problem?.detail ?? problem?.title ?? (status === 0 ? "The API cannot be reached." : `HTTP ${status}`));
  }
}

type Call<T> = Promise<{ data?: T; error?: unknown; response: Response }>;

/** Unwrap an openapi-fetch result: the data, or an ApiError; a network failure is status 0. */
export async function load<T>(call: Call<T>): Promise<T> {
  return (await loadTagged(call)).data;
}

/** As `load`, with the record's ETag: what an edit sends back as If-Match. */
export async function loadTagged<T>(call: Call<T>): Promise<{ data: T; etag: string }> {
  let result;
  try {
    result = await call;
  } catch {
    throw new ApiError(0, undefined);
  }
  if (result.data === undefined) {
    throw new ApiError(result.response.status, result.error as Problem | undefined);
  }
  return { data: result.data, etag: result.response.headers.get("ETag") ?? "" };
}

/**
 * A file the API writes (a list as CSV or XLSX), with the client's credentials: `url` is a path
 * with its own query (the view's filters and `format`, which the typed paths may not list yet).
 * The file, and its Content-Disposition when the browser may read it; or an ApiError.
 */
export async function loadFile(client: Client, url: string, signal?: AbortSignal): Promise<{ blob: Blob; disposition: string | null }> {
  const get = client.GET as unknown as (url: string, init: { parseAs: "blob"; signal?: AbortSignal }) => Call<Blob>;
  let result;
  try {
    result = await get(url, { parseAs: "blob", signal });
  } catch {
    throw new ApiError(0, undefined);
  }
  if (result.data === undefined) throw new ApiError(result.response.status, result.error as Problem | undefined);
  return { blob: result.data, disposition: result.response.headers.get("Content-Disposition") };
}
