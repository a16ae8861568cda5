import { describe, expect, it } from "vitest";

import { datestamp, defaultName, fileUrl, filenameFrom, toCsv } from "./download";

describe("fileUrl", () => {
  it("sends the view's filters with the format, and leaves out what is empty", () => {
    expect(fileUrl("/api/v1/stakeholders", { q: "aston", kind: "university", sector: "", area: undefined, mission: null }, "csv")).toBe(
      "/api/v1/stakeholders?q=aston&kind=university&format=csv",
    );
    expect(fileUrl("/api/v1/missions", {}, "xlsx")).toBe("/api/v1/missions?format=xlsx");
  });

  it("leaves out paging: a file is the whole list, from the first page", () => {
    expect(fileUrl("/api/v1/stakeholders", { q: "x", cursor: "abc", limit: 25 }, "csv")).toBe("/api/v1/stakeholders?q=x&format=csv");
    expect(fileUrl("/api/v1/stories", new URLSearchParams("kind=lesson&cursor=abc&format=json"), "xlsx")).toBe("/api/v1/stories?kind=lesson&format=xlsx");
  });

  it("repeats a list's name, writes true/false and numbers as text, and escapes what needs it", () => {
    expect(fileUrl("/api/v1/network", { exclude: ["board", "event"] }, "csv")).toBe("/api/v1/network?exclude=board&exclude=event&format=csv");
    expect(fileUrl("/api/v1/support-schemes/match", { stakeholder: "s1", include_ineligible: true, year: 2024 }, "csv")).toBe(
      "/api/v1/support-schemes/match?stakeholder=s1&include_ineligible=true&year=2024&format=csv",
    );
    const url = fileUrl("/api/v1/metrics/m1/observations", { breakdown: "age:65+;sex:F", q: "a&b c" }, "csv");
    const query = new URL(url, "http://x").searchParams;
    expect(query.get("breakdown")).toBe("age:65+;sex:F");
    expect(query.get("q")).toBe("a&b c");
    expect(url).toContain("breakdown=age%3A65%2B%3Bsex%3AF");
  });
});

describe("filenameFrom", () => {
  it("reads the API's attachment name", () => {
    expect(filenameFrom('attachment; filename="stakeholders-20260131.csv"')).toBe("stakeholders-20260131.csv");
    expect(filenameFrom("attachment; filename=observations-20260131.xlsx")).toBe("observations-20260131.xlsx");
    expect(filenameFrom('attachment;filename="a \\"b\\".csv"; size=3')).toBe('a "b".csv');
  });

  it("prefers the UTF-8 name (RFC 5987) to the plain one", () => {
    expect(filenameFrom("attachment; filename=\"Donnees.csv\"; filename*=UTF-8''Donn%C3%A9es%20r%C3%A9gion.csv")).toBe("Données région.csv");
    expect(filenameFrom("attachment; filename*=utf-8''bad%E0%A4%A.csv; filename=\"fallback.csv\"")).toBe("fallback.csv");
  });

  it("takes the name only, never a path; nothing when none is given", () => {
    expect(filenameFrom('attachment; filename="../../etc/passwd"')).toBe("passwd");
    expect(filenameFrom('attachment; filename="C:\\\\temp\\\\x.csv"')).toBe("x.csv");
    expect(filenameFrom('attachment; filename=".."')).toBeNull();
    expect(filenameFrom("attachment")).toBeNull();
    expect(filenameFrom("")).toBeNull();
    expect(filenameFrom(null)).toBeNull();
  });
});

describe("defaultName", () => {
  it("names the file as the API does: the list's last path part and the day, in UTC", () => {
    const day = new Date("2026-01-31T23:30:00Z");
    expect(datestamp(day)).toBe("20260131");
    expect(defaultName("/api/v1/stakeholders", "csv", day)).toBe("stakeholders-20260131.csv");
    expect(defaultName("/api/v1/metrics/m1/observations/", "xlsx", day)).toBe("observations-20260131.xlsx");
  });
});

describe("toCsv", () => {
  it("writes the header then each row, every line ended with CRLF", () => {
    expect(toCsv(["Area", "Value"], [["Coventry", 12.5], ["Dudley", 0]])).toBe("Area,Value\r\nCoventry,12.5\r\nDudley,0\r\n");
  });

  it("quotes a field with a comma, a quote or a line break, doubling its quotes (RFC 4180)", () => {
    expect(toCsv(["a", "b", "c", "d"], [["1,234", 'say "hi"', "two\nlines", "cr\rlf"]])).toBe(
      'a,b,c,d\r\n"1,234","say ""hi""","two\nlines","cr\rlf"\r\n',
    );
    expect(toCsv(['Its "metrics", area by area'], [])).toBe('"Its ""metrics"", area by area"\r\n');
  });

  it("leaves other text as it is, and writes nothing for a missing value", () => {
    expect(toCsv(["x", "y", "z", "w"], [[null, undefined, true, " < 15 "]])).toBe("x,y,z,w\r\n,,true, < 15 \r\n");
    expect(toCsv(["only"], [])).toBe("only\r\n");
  });
});
