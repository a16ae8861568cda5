import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";

import type { components } from "../src/lib/api/schema";
import { methodWords, strengthWords, strongest } from "../src/lib/network";
import { APP, check, withPage } from "./browser";

type S = components["schemas"];

// A synthetic ecosystem of 2,000 organisations: the real seed has about 50, so the network
// view's claim to stay usable at regional scale is checked against a made-up graph.
const KINDS = ["business", "university", "local_authority", "health", "third_sector", "investor"];
// Each link stands for a collaboration of two to five members, weighted 1/(n-1) as the API does.
const METHOD =
  "Published collaborations of every kind are counted (`exclude`). Two organisations are linked when they take part in the same " +
  "collaboration; each collaboration of n participants adds 1/(n-1) to the weight of each pair of them.";
function bigNetwork(count: number, perNode: number): S["Network"] {
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const nodes: S["Node"][] = Array.from({ length: count }, (_, i) => ({
    id: `n${i}`, name: `Organisation ${i}`, kind: KINDS[i % KINDS.length]!, sector: "business", degree: 0, strength: 0, community: null,
  }));
  const edges: S["Edge"][] = [];
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < perNode; k++) {
      const j = Math.floor(random() * count);
      const pair = `${Math.min(i, j)}-${Math.max(i, j)}`;
      if (j === i || seen.has(pair)) continue;
      seen.add(pair);
      const strength = 1 / (1 + Math.floor(random() * 4));
      edges.push({ source: `n${i}`, target: `n${j}`, weight: 1, strength, collaboration_ids: [] });
      for (const n of [nodes[i]!, nodes[j]!]) {
        n.degree++;
        n.strength += strength;
      }
    }
  }
  return { data_version: 1, weighting: "shared", excluded_kinds: [], method: METHOD, nodes, edges };
}

let page: Page;
withPage((opened) => (page = opened));

describe("the network view at regional scale", () => {
  it("draws 2,000 organisations and stays responsive while it lays them out", async () => {
    const network = bigNetwork(2000, 3);
    await page.route("**/api/v1/network?*", (route) => route.fulfill({ json: network }));
    await page.route("**/api/v1/network", (route) => route.fulfill({ json: network }));
    const started = Date.now();
    await page.goto(`${APP}/network`);
    await page.getByText(`2000 organisations, ${network.edges.length} links.`).waitFor();
    await page.locator(".graph canvas").first().waitFor();
    const drawn = Date.now() - started;

    // While the layout runs, the page must still answer: time a few round trips to the next frame.
    const waits: number[] = [];
    for (let i = 0; i < 10; i++) {
      waits.push(await page.evaluate(() => new Promise<number>((done) => {
        const asked = performance.now();
        requestAnimationFrame(() => done(performance.now() - asked));
      })));
    }
    // And the filters still work from the keyboard.
    await page.getByLabel("Kind").focus();
    await page.keyboard.press("ArrowDown");
    await page.waitForURL(/kind=/);
    await page.getByText(`2000 organisations, ${network.edges.length} links.`).waitFor();
    console.log(`2,000-node network: drawn in ${drawn} ms; frame waits during layout: median ${waits.sort((a, b) => a - b)[5]!.toFixed(0)} ms, worst ${waits[9]!.toFixed(0)} ms`);
    await page.locator("tbody tr").nth(24).waitFor(); // the table may come a moment after the count
    expect(await page.locator("tbody tr").count()).toBe(25);
    // The table ranks by strength, as the dots are sized; how links are weighted is in words.
    const first = strongest(network.nodes, 1)[0]!;
    await page.getByRole("row", { name: `${first.name} ${first.kind.replaceAll("_", " ")} ${first.degree} ${strengthWords(first.strength)}`, exact: true }).waitFor();
    await page.getByText("How this is counted", { exact: true }).click();
    await page.getByText(methodWords(METHOD), { exact: true }).waitFor();
    await check(page, "network-2000");
  });
});
