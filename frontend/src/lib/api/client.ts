import createClient from "openapi-fetch";

import { apiBase } from "../config";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];
export type Problem = Schemas["Problem"];

export const api = createClient<paths>({ baseUrl: apiBase() });

/** A failed call, with the API's problem details when it sent some. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
  ) {
    super(problem?.detail ?? problem?.title ?? (status === 0 ? "The API cannot be reached." : `HTTP ${status}`));
  }
}

/** Unwrap an openapi-fetch result: the data, or an ApiError; a network failure is status 0. */
export async function load<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result;
  try {
    result = await call;
  } catch {
    throw new ApiError(0, undefined);
  }
  if (result.data === undefined) {
    throw new ApiError(result.response.status, result.error as Problem | undefined);
  }
  return result.data;
}
