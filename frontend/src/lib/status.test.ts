import { describe, expect, it } from "vitest";

import {
  METHOD_WORDS,
  STATUS_LABEL,
  count,
  countWords,
  noProgressWords,
  percent,
  pounds,
  progressWords,
  scopeLabel,
  staleWords,
  summaryLabel,
} from "./status";

const NONE = { achieved: 0, on_track: 0, at_risk: 0, off_track: 0, uncertain: 0, no_observation: 0, no_target: 0 };

describe("status helpers", () => {
  it("clamps progress to 0..100% and shows a dash for none", () => {
    expect(percent(0.5)).toBe("50%");
    expect(percent(1.3)).toBe("100%");
    expect(percent(-0.2)).toBe("0%");
    expect(percent(null)).toBe("—");
  });

  it("names every status in words", () => {
    expect(STATUS_LABEL).toEqual({
      achieved: "Achieved",
      on_track: "On track",
      at_risk: "At risk",
      off_track: "Off track",
      uncertain: "Uncertain (a bound)",
      no_observation: "No figures since the baseline",
      no_target: "No target set",
      no_baseline: "No baseline recorded",
      stale: "Stale data",
    });
  });

  it("says uncertain without a bound when no bound made it so", () => {
    expect(scopeLabel({ status: "uncertain", bounded: true })).toBe("Uncertain (a bound)");
    expect(scopeLabel({ status: "uncertain", bounded: false })).toBe("Uncertain");
    expect(scopeLabel({ status: "at_risk", bounded: true })).toBe("At risk");
  });

  it("words a roll-up's status, and one with nothing in it", () => {
    expect(summaryLabel({ status: "stale", counts: { ...NONE, on_track: 2 }, bounded: 0 })).toBe("Stale data");
    expect(summaryLabel({ status: "uncertain", counts: { ...NONE, uncertain: 1 }, bounded: 1 })).toBe("Uncertain (a bound)");
    expect(summaryLabel({ status: "uncertain", counts: { ...NONE, uncertain: 1 }, bounded: 0 })).toBe("Uncertain");
    expect(summaryLabel({ status: "no_observation", counts: NONE, bounded: 0 })).toBe("No baseline yet");
  });

  it("shows pence as pounds", () => {
    expect(pounds(150_000_00)).toBe("£150,000");
  });
});

describe("countWords", () => {
  it("says each status counted, best first, then stale and bounded", () => {
    const summary = { counts: { ...NONE, on_track: 3, at_risk: 1, no_target: 2, no_observation: 4 }, stale: 2, bounded: 1 };
    expect(countWords(summary)).toBe(
      "3 on track, 1 at risk, 2 with no target set, 4 with no figures since the baseline; 2 stale; 1 judged from a bound",
    );
  });

  it("leaves out what is none", () => {
    expect(countWords({ counts: { ...NONE, achieved: 1, uncertain: 2 }, stale: 0, bounded: 2 })).toBe("1 achieved, 2 uncertain; 2 judged from a bound");
    expect(countWords({ counts: { ...NONE, off_track: 1 }, stale: 1, bounded: 0 })).toBe("1 off track; 1 stale");
  });

  it("says nothing when there is nothing to count", () => {
    expect(countWords({ counts: NONE, stale: 0, bounded: 0 })).toBe("");
    expect(countWords({ counts: {}, stale: 0, bounded: 0 })).toBe("");
  });

  it("still counts a status it has no words for", () => {
    expect(countWords({ counts: { ...NONE, on_track: 1, held_back: 2 }, stale: 0, bounded: 0 })).toBe("1 on track, 2 held back");
  });
});

describe("noProgressWords", () => {
  it("says why a roll-up of uncertain scopes has no figure", () => {
    expect(noProgressWords({ progress: null, counts: { ...NONE, uncertain: 1, no_observation: 3 } })).toBe(
      "no single figure, as bounds leave its metrics uncertain",
    );
  });

  it("leaves the rest to the usual words", () => {
    expect(noProgressWords({ progress: null, counts: { ...NONE, no_observation: 3 } })).toBe("");
    expect(noProgressWords({ progress: 0.4, counts: { ...NONE, uncertain: 1, on_track: 1 } })).toBe("");
  });
});

describe("scope words", () => {
  it("says a stale scope's latest figure's date", () => {
    expect(staleWords({ stale: true, latest: { id: "o", value: "20", date: "2024-06-30" } })).toBe("stale: latest figure from 2024-06-30");
    expect(staleWords({ stale: false, latest: { id: "o", value: "20", date: "2026-06-30" } })).toBe("");
  });

  it("gives progress as one figure, or as a range when a bound leaves it open", () => {
    expect(progressWords(0.5)).toBe("50% of the way");
    expect(progressWords(0.111, [0.25, 0.666])).toBe("between 25% and 67% of the way");
    expect(progressWords(0.2, [0.666, 0.25])).toBe("between 25% and 67% of the way");
    expect(progressWords(0.2, [0.2, 0.201])).toBe("20% of the way");
    expect(progressWords(-0.5, [-0.5, 1.4])).toBe("between 0% and 100% of the way");
    expect(progressWords(null)).toBe("");
    expect(progressWords(0.3, null)).toBe("30% of the way");
  });

  it("names each method, Open SDG's by name", () => {
    expect(METHOD_WORDS.open_sdg).toMatch(/^Judged by Open SDG's progress measure/);
    expect(METHOD_WORDS.pace).toMatch(/^Judged by pace/);
  });
});

describe("count", () => {
  it("names one and many", () => {
    expect(count(1, "organisation")).toBe("1 organisation");
    expect(count(3, "organisation")).toBe("3 organisations");
    expect(count(0, "story", "stories")).toBe("0 stories");
  });
});
