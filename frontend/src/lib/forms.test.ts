import { describe, expect, it } from "vitest";

import { forms } from "./api/forms.gen";
import { type Field, draftOf, fieldErrors, fromForm, patchOf, rebase, toForm } from "./forms";

const fields = forms.StakeholderUpdate as Field[];
const record = { name: "Aston University", kind: "university", sectors: ["digital"], website: null, size: null, new_to_innovation: false };

describe("the generated stakeholder form", () => {
  it("follows the API schema: kinds, choices, limits", () => {
    const byName = Object.fromEntries(fields.map((f) => [f.name, f]));
    expect(byName["name"]).toMatchObject({ kind: "text", required: true, maxLength: 300 });
    expect(byName["kind"]?.options).toContain("university");
    expect(byName["size"]).toMatchObject({ kind: "choice", nullable: true });
    expect(byName["website"]).toMatchObject({ kind: "url", nullable: true });
    expect(byName["new_to_innovation"]?.kind).toBe("boolean");
    expect(byName["area_ids"]).toMatchObject({ kind: "list", label: "Areas" });
  });
});

describe("patchOf", () => {
  it("sends only what the user changed, in the API's types", () => {
    const base = draftOf(fields, record);
    const draft = { ...base, sectors: "digital\n  health \n\n", website: "https://aston.ac.uk", size: "" };
    expect(patchOf(fields, base, draft)).toEqual({ sectors: ["digital", "health"], website: "https://aston.ac.uk" });
    expect(patchOf(fields, base, { ...base, website: "  " })).toEqual({});
  });
});

describe("fromForm", () => {
  it("clears optional fields to null and passes unparseable numbers to the API as typed", () => {
    const number: Field = { name: "amount", label: "Amount", kind: "number", nullable: true };
    expect(fromForm(number, "")).toBeNull();
    expect(fromForm(number, "12")).toBe(12);
    expect(fromForm(number, "lots")).toBe("lots");
  });
});

describe("money", () => {
  it("is typed in pounds and sent in pence", () => {
    const money = (forms.CollaborationUpdate as Field[]).find((f) => f.name === "funding_amount_pence")!;
    expect(money).toMatchObject({ kind: "money", label: "Funding amount (£)" });
    expect(toForm(money, 2500050)).toBe("25000.50");
    expect(toForm(money, 100000)).toBe("1000");
    expect(fromForm(money, "£25,000.50")).toBe(2500050);
    expect(fromForm(money, "")).toBeNull();
    expect(fromForm(money, "lots")).toBe("lots"); // the API says why
  });
});

describe("rebase", () => {
  it("keeps every change the user typed on top of the version that won the race", () => {
    const base = draftOf(fields, record);
    const mine = { ...base, name: "Aston Uni", sectors: "digital\nai" };
    const theirs = draftOf(fields, { ...record, name: "Aston University (Birmingham)", website: "https://www.aston.ac.uk" });
    const result = rebase(fields, base, mine, theirs);
    expect(result.draft["name"]).toBe("Aston Uni");
    expect(result.draft["sectors"]).toBe("digital\nai");
    expect(result.draft["website"]).toBe("https://www.aston.ac.uk");
    expect(result.kept).toEqual(["name", "sectors"]);
    expect(result.conflicts).toEqual(["name"]);
  });
});

describe("fieldErrors", () => {
  it("puts each validation message next to its field, the rest at the top", () => {
    const problem = {
      type: "about:blank",
      title: "Validation failed",
      status: 422,
      detail: null,
      errors: [
        { field: "body.website", message: "Not a URL.", type: "url_parsing" },
        { field: "body.sectors.0", message: "Too long.", type: "string_too_long" },
        { field: "header.If-Match", message: "Required.", type: "missing" },
      ],
    };
    expect(fieldErrors(problem, fields)).toEqual({
      byField: { website: "Not a URL.", sectors: "Too long." },
      general: ["Required."],
    });
    expect(fieldErrors({ type: "x", title: "Forbidden", status: 403, detail: "Not yours.", errors: null }, fields).general).toEqual(["Not yours."]);
  });
});
