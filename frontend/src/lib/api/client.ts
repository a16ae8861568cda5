import createClient from "openapi-fetch";

import { apiBase } from "../config";
import { session } from "../session.svelte";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];
export type Problem = Schemas["Problem"];

export const api = createClient<paths>({ baseUrl: apiBase() });
api.use(session.middleware);

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
