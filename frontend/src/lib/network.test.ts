import { describe, expect, it } from "vitest";

import type { Schemas } from "./api/client";
import {
  GOVERNANCE,
  edgeSize,
  excludeParam,
  excludedKinds,
  leavesOutGovernance,
  methodWords,
  networkWords,
  nodeSize,
  strengthWords,
  strongest,
  withGovernance,
} from "./network";

const node = (name: string, strength: number, degree: number): Schemas["Node"] => ({
  id: name,
  name,
  kind: "business",
  sector: "business",
  degree,
  strength,
  community: null,
});

describe("the network's left-out kinds, in the URL", () => {
  it("reads a comma-separated list, with one word for governance and events, ignoring the unknown", () => {
    expect(excludedKinds(null)).toEqual([]);
    expect(excludedKinds("")).toEqual([]);
    expect(excludedKinds("governance")).toEqual(["working_group", "board", "event"]);
    expect(excludedKinds("event,project,nonsense,none")).toEqual(["project", "event"]);
    expect(excludedKinds("board,event,working_group")).toEqual(excludedKinds("governance"));
  });

  it("says whether all three of boards, working groups and events are out", () => {
    expect(leavesOutGovernance(excludedKinds("governance"))).toBe(true);
    expect(leavesOutGovernance(["board", "event"])).toBe(false);
    expect(leavesOutGovernance([])).toBe(false);
  });

  it("writes them back, the three as one word, and nothing when none is left out", () => {
    expect(excludeParam([])).toBeUndefined();
    expect(excludeParam([...GOVERNANCE])).toBe("governance");
    expect(excludeParam(["project", ...GOVERNANCE])).toBe("governance,project");
    expect(excludeParam(["board", "event"])).toBe("board,event");
    for (const param of ["governance", "governance,project", "board,event"]) expect(excludeParam(excludedKinds(param))).toBe(param);
  });

  it("ticks and unticks governance and events, keeping any other kind left out", () => {
    expect(withGovernance([], true)).toEqual(["working_group", "board", "event"]);
    expect(withGovernance(["project"], true)).toEqual(["project", "working_group", "board", "event"]);
    expect(withGovernance(["project", "board", "event", "working_group"], false)).toEqual(["project"]);
    expect(withGovernance(["board"], false)).toEqual([]);
  });
});

describe("the network's drawing", () => {
  it("draws a two-partner project's link thicker than a 16-member meeting's, and caps the thickest", () => {
    const project = edgeSize(1);
    const meeting = edgeSize(1 / 15);
    expect(project).toBeGreaterThan(3 * meeting);
    expect(meeting).toBeGreaterThan(0.5);
    expect(meeting).toBeLessThan(1);
    expect(edgeSize(3)).toBeGreaterThan(project);
    expect(edgeSize(50)).toBe(6);
    expect(edgeSize(0)).toBe(0.5);
  });

  it("sizes dots by strength, growing ever more slowly", () => {
    expect(nodeSize(0)).toBe(3);
    expect(nodeSize(4)).toBe(8);
    expect(nodeSize(8) - nodeSize(4)).toBeLessThan(nodeSize(4) - nodeSize(0));
  });
});

describe("the network in words", () => {
  it("shows a strength with at most two decimals", () => {
    expect(strengthWords(16.000000000000007)).toBe("16");
    expect(strengthWords(1 / 15)).toBe("0.07");
    expect(strengthWords(2.6575757575757577)).toBe("2.66");
    expect(strengthWords(1234.5)).toBe("1,234.5");
  });

  it("ranks by strength, then partners, then name", () => {
    const nodes = [node("B", 1, 2), node("A", 1, 2), node("C", 1, 9), node("D", 5, 1)];
    expect(strongest(nodes, 3).map((n) => n.name)).toEqual(["D", "C", "A"]);
    expect(nodes.map((n) => n.name)).toEqual(["B", "A", "C", "D"]);
  });

  it("reads the API's method without its parameter names and code marks", () => {
    const method =
      "Published collaborations of every kind but board, event, working_group are counted (`exclude`). Two organisations are linked when they take part in the same collaboration; each adds 1/(n-1) (`weighting`), see `modularity`.";
    expect(methodWords(method)).toBe(
      "Published collaborations of every kind but board, event, working group are counted. Two organisations are linked when they take part in the same collaboration; each adds 1/(n-1), see modularity.",
    );
  });

  it("counts organisations and links, and says what is left out", () => {
    expect(networkWords(49, 145, [])).toBe("49 organisations, 145 links.");
    expect(networkWords(1, 1, [])).toBe("1 organisation, 1 link.");
    expect(networkWords(49, 17, ["board", "event", "working_group"])).toBe("49 organisations, 17 links. Boards, working groups and events are left out.");
    expect(networkWords(49, 17, ["project", "funding_bid"])).toBe("49 organisations, 17 links. Left out: project, funding bid.");
  });
});
