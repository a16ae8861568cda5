import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";

import { ApiError } from "../lib/api/client";
import { forms } from "../lib/api/forms.gen";
import type { Field } from "../lib/forms";
import RecordEditor from "./RecordEditor.svelte";

const fields = forms.StakeholderUpdate as Field[];
const v1 = { name: "Aston University", kind: "university", sectors: [], area_ids: [], website: null, description: null, new_to_innovation: false, status: "active", size: null };
const change = {
  sequence: 9, at: "2026-11-22T09:30:00Z", actor: { kind: "account", id: "a1", name: "editor@wmca.example" }, request_id: null,
  resource: "stakeholders", resource_id: "s1", parent_id: null, action: "update" as const, version: 2,
  changes: [{ field: "description", before: null, after: "Theirs", redacted: false }], state: null,
};

function setup(save: (patch: Record<string, unknown>, etag: string) => Promise<{ data: Record<string, unknown>; etag: string }>) {
  const fetchRecord = vi.fn().mockResolvedValueOnce({ data: v1, etag: '"1"' }).mockResolvedValue({ data: { ...v1, description: "Theirs" }, etag: '"2"' });
  render(RecordEditor, { fields, fetchRecord, save, lastChange: async () => change });
  return fetchRecord;
}

describe("RecordEditor", () => {
  it("shows the API's validation messages next to their fields", async () => {
    setup(async () => {
      throw new ApiError(422, { type: "x", title: "Invalid", status: 422, detail: null, errors: [{ field: "body.website", message: "Input should be a valid URL", type: "url_parsing" }] });
    });
    await fireEvent.input(await screen.findByLabelText("Website (optional)"), { target: { value: "not a url" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save changes" }));
    await screen.findByText("Input should be a valid URL");
    expect(screen.getByLabelText("Website (optional)").getAttribute("aria-invalid")).toBe("true");
    expect((screen.getByLabelText("Website (optional)") as HTMLInputElement).value).toBe("not a url");
  });

  it("after losing a race, says who won and reloads their version without losing what was typed", async () => {
    const save = vi.fn<(patch: Record<string, unknown>, etag: string) => Promise<{ data: Record<string, unknown>; etag: string }>>()
      .mockRejectedValueOnce(new ApiError(412, { type: "x", title: "Precondition failed", status: 412, detail: null, errors: null }))
      .mockImplementation(async (patch) => ({ data: { ...v1, description: "Theirs", ...patch }, etag: '"3"' }));
    const fetchRecord = setup(save);
    await fireEvent.input(await screen.findByLabelText("Name"), { target: { value: "Aston Uni" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save changes" }));

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("editor@wmca.example saved version 2");
    expect(alert.textContent).toContain("changing description");
    expect((screen.getByLabelText("Name") as HTMLInputElement).value).toBe("Aston Uni");

    await fireEvent.click(screen.getByRole("button", { name: "Load their version and keep my changes" }));
    await screen.findByText(/Loaded version 2/);
    expect(fetchRecord).toHaveBeenCalledTimes(2);
    expect((screen.getByLabelText("Name") as HTMLInputElement).value).toBe("Aston Uni");
    expect((screen.getByLabelText("Description (optional)") as HTMLTextAreaElement).value).toBe("Theirs");

    await fireEvent.click(screen.getByRole("button", { name: "Save changes" }));
    await screen.findByText("Saved.");
    expect(save).toHaveBeenLastCalledWith({ name: "Aston Uni" }, '"2"');
  });

  it("keeps the form when the API cannot be reached", async () => {
    setup(async () => {
      throw new ApiError(0, undefined);
    });
    await fireEvent.input(await screen.findByLabelText("Name"), { target: { value: "Aston Uni" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(screen.getByRole("alert").textContent).toContain("cannot be reached"));
    expect((screen.getByLabelText("Name") as HTMLInputElement).value).toBe("Aston Uni");
  });

  it("keeps what was typed through a sign-in that ended, and brings it back", async () => {
    setup(async () => {
      throw new ApiError(401, { type: "x", title: "Unauthorized", status: 401, detail: null, errors: null });
    });
    await fireEvent.input(await screen.findByLabelText("Name"), { target: { value: "Aston Uni" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save changes" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Your sign-in has ended");
    expect(screen.getByRole("link", { name: "Sign in again" }).getAttribute("href")).toMatch(/^\/sign-in\?next=/);
    cleanup();

    // Signed in again, the same page opens with the typed name restored over the saved record.
    setup(async (patch) => ({ data: { ...v1, ...patch }, etag: '"2"' }));
    await screen.findByText(/Restored what you typed/);
    expect((screen.getByLabelText("Name") as HTMLInputElement).value).toBe("Aston Uni");
    expect(sessionStorage.length).toBe(0);
  });
});
