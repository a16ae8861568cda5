// Editing forms generated from the API's schemas: field kinds, choices and limits come from
// openapi/openapi.json, so a form follows the API when it changes. `npm run api` writes the file;
// `npm run check:api` fails when it is stale.
import { readFileSync, writeFileSync } from "node:fs";

const FORMS = [
  "StakeholderCreate", "StakeholderUpdate", "CollaborationCreate", "CollaborationUpdate", "StoryCreate", "StoryUpdate", "ObservationCreate",
];
const [source, target] = process.argv.slice(2);
const spec = JSON.parse(readFileSync(source, "utf8"));
const schemas = spec.components.schemas;

const resolve = (s) => (s.$ref ? resolve(schemas[s.$ref.split("/").pop()]) : s);

const NAMES = { external_id: "External ID" };

/** "area_ids" → "Areas", "new_to_innovation" → "New to innovation", "amount_pence" → "Amount (£)". */
function label(name) {
  if (NAMES[name]) return NAMES[name];
  const words = name.replace(/_ids$/, "s").replace(/_id$/, "").replace(/_pence$/, " (£)").replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function field(name, raw) {
  const variants = (raw.anyOf ?? [raw]).map(resolve);
  const nullable = variants.some((v) => v.type === "null");
  const s = { ...variants.find((v) => v.type !== "null"), description: raw.description ?? resolve(raw).description };
  const out = { name, label: label(name), nullable };
  if (s.description) out.hint = s.description.replaceAll("`", ""); // markdown in the API docs, plain text here
  if (s.enum) Object.assign(out, { kind: "choice", options: s.enum });
  else if (s.type === "boolean") out.kind = "boolean";
  // Money is integer pence in the API (DESIGN.md); people type pounds.
  else if (s.type === "integer" && name.endsWith("_pence")) Object.assign(out, { kind: "money", min: s.minimum, max: s.maximum });
  else if (s.type === "integer" || s.type === "number") Object.assign(out, { kind: "number", min: s.minimum, max: s.maximum });
  else if (s.type === "array") Object.assign(out, { kind: "list", maxItems: s.maxItems, maxLength: s.items?.maxLength });
  else if (s.format === "date") out.kind = "date";
  else if (s.format === "uri") out.kind = "url";
  else if (s.pattern?.includes("@")) out.kind = "email";
  else if (name === "phone") out.kind = "tel";
  else out.kind = (s.maxLength ?? 0) > 1000 ? "longtext" : "text";
  if (s.maxLength && out.kind !== "list") out.maxLength = s.maxLength;
  if (s.minLength && !nullable) out.required = true;
  const fallback = raw.default ?? s.default;
  if (fallback !== undefined) out.default = fallback;
  return out;
}

const body = FORMS.map((form) => {
  // An object (a value's breakdown) has no form control yet: the API and imports set it.
  const editable = Object.entries(schemas[form].properties).filter(([, raw]) => resolve(raw).type !== "object");
  const fields = editable.map(([name, raw]) => field(name, raw));
  const lines = fields.map((f) => `    ${JSON.stringify(f)},`).join("\n");
  return `  ${form}: [\n${lines}\n  ] satisfies Field<S["${form}"]>[],`;
}).join("\n");

writeFileSync(
  target,
  `// Generated from openapi/openapi.json by scripts/forms.mjs (npm run api): do not edit.
import type { Field } from "../forms";
import type { components } from "./schema";

type S = components["schemas"];

export const forms = {
${body}
};
`,
);
