/**
 * Lists as files. The API writes any list as CSV or XLSX (`?format=`): the whole list, with the
 * filters the view shows. A table the API computes without a file of its own (progress, comparison,
 * the network) becomes a CSV here, from the rows the table shows.
 */

export type FileFormat = "csv" | "xlsx";
export type QueryValue = string | number | boolean | null | undefined | readonly (string | number | boolean)[];
/** A view's query, as it sends it: empty values are left out, lists repeat their name (`exclude=a&exclude=b`). */
export type Query = Readonly<Record<string, QueryValue>> | URLSearchParams;

/** A file is the whole list: a cursor would start it part-way, and `limit` does not apply. */
const PAGING = new Set(["cursor", "limit", "format"]);

/** The API's file of a list: `path` with the view's filters and `format`, paging left out. */
export function fileUrl(path: string, query: Query, format: FileFormat): string {
  const search = new URLSearchParams();
  const entries: [string, unknown][] =
    query instanceof URLSearchParams
      ? [...query.entries()]
      : Object.entries(query).flatMap(([name, value]): [string, unknown][] => (Array.isArray(value) ? value.map((v) => [name, v]) : [[name, value]]));
  for (const [name, value] of entries) {
    if (PAGING.has(name) || value === undefined || value === null || value === "") continue;
    search.append(name, String(value));
  }
  search.set("format", format);
  return `${path}?${search}`;
}

/**
 * The file's name from a Content-Disposition header (RFC 6266): `filename*` (RFC 5987, UTF-8) first,
 * then `filename`, quoted or not. Only the name: never a path. Null when it names none.
 */
export function filenameFrom(disposition: string | null | undefined): string | null {
  if (!disposition) return null;
  const extended = /filename\*\s*=\s*([^;]+)/i.exec(disposition)?.[1]?.trim();
  if (extended) {
    const [, charset, encoded] = /^([\w-]*)'[^']*'(.+)$/.exec(extended.replace(/^"(.*)"$/, "$1")) ?? [];
    if (encoded && (!charset || /^utf-8$/i.test(charset))) {
      try {
        return baseName(decodeURIComponent(encoded));
      } catch {
        // a malformed %-escape: fall back on the plain filename
      }
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/i.exec(disposition);
  const name = plain?.[1]?.replace(/\\(.)/g, "$1") ?? plain?.[2]?.trim();
  return name ? baseName(name) : null;
}

function baseName(name: string): string | null {
  const last = name.split(/[/\\]/).pop()?.trim() ?? "";
  return last && last !== "." && last !== ".." ? last : null;
}

/** Today as the API stamps its files: yyyymmdd, in UTC. */
export function datestamp(now = new Date()): string {
  return now.toISOString().slice(0, 10).replaceAll("-", "");
}

/**
 * The name the API gives a list's file (`stakeholders-20260131.csv`: its path's last part and the
 * day): used when the browser may not read the Content-Disposition header (a cross-origin API that
 * does not expose it).
 */
export function defaultName(path: string, format: FileFormat, now = new Date()): string {
  const last = path.split("?")[0]!.split("/").filter(Boolean).pop() ?? "list";
  return `${last}-${datestamp(now)}.${format}`;
}

export type Cell = string | number | boolean | null | undefined;
/** A table as a file: its name (without the date or extension), its column labels, its rows. */
export type Table = { name: string; header: readonly string[]; rows: readonly (readonly Cell[])[] };

/** One CSV field (RFC 4180): quoted, its quotes doubled, when it holds a comma, a quote or a line break. */
function field(value: Cell): string {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A table as RFC 4180 CSV: the header, then each row, each line ended with CRLF (as the API writes them). */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return [header, ...rows].map((row) => `${row.map(field).join(",")}\r\n`).join("");
}

/** Save a blob as a file: a link with `download`, clicked, then let go. */
export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Some browsers read the blob after the click returns: let it go a little later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
