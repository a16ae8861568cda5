/** The network view's drawing: loaded only on that page (sigma.js renders with WebGL). */
import Graph from "graphology";
import forceAtlas2 from "graphology-layout-forceatlas2";
import FA2Layout from "graphology-layout-forceatlas2/worker";
import Sigma from "sigma";

import type { Schemas } from "./api/client";
import { KIND_COLOUR } from "./kinds";
import { edgeSize, nodeSize } from "./network";

// Up to this many nodes the layout is computed at once; beyond it, in a worker while the page stays usable.
const AT_ONCE = 400;
const WORKER_MS = 4000;

/**
 * Draws the network into `container`, whose `data-layout` says what the drawing does: "moving" while
 * the worker's layout moves the dots on screen, "laying-out" while it runs unseen, "still" once drawn for good.
 * With prefers-reduced-motion, nothing moves: a large network is drawn once, when its layout is done.
 */
export function draw(
  container: HTMLElement,
  network: Schemas["Network"],
  open: (id: string) => void,
  still = matchMedia("(prefers-reduced-motion: reduce)").matches,
): () => void {
  const graph = new Graph({ type: "undirected" });
  const count = network.nodes.length;
  network.nodes.forEach((n, i) => {
    // Start on a circle; ForceAtlas2 pulls collaborators together.
    const angle = (2 * Math.PI * i) / Math.max(count, 1);
    graph.addNode(n.id, {
      label: n.name,
      x: Math.cos(angle),
      y: Math.sin(angle),
      // By strength, not partners: 15 fellow members of one board add up to 1, not 15.
      size: nodeSize(n.strength),
      color: KIND_COLOUR[n.kind] ?? "#4a4a55",
    });
  });
  // merge, not add: a repeated pair must not stop the whole drawing. Thickness by strength: a
  // two-partner project's link is thick, each link of a 16-member meeting thin; the layout
  // (ForceAtlas2 reads `weight`) pulls strongly linked organisations closer in the same measure.
  for (const e of network.edges) {
    graph.mergeEdge(e.source, e.target, { size: edgeSize(e.strength), weight: e.strength, color: "#c9c9d3" });
  }
  const settings = forceAtlas2.inferSettings(graph);
  let layout: FA2Layout | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let renderer: Sigma | undefined;
  const render = () => {
    renderer = new Sigma(graph, container, { renderEdgeLabels: false, labelRenderedSizeThreshold: 8 });
    renderer.on("clickNode", ({ node }) => open(node));
    renderer.on("enterNode", () => (container.style.cursor = "pointer"));
    renderer.on("leaveNode", () => (container.style.cursor = ""));
  };
  const settled = (state: "moving" | "laying-out" | "still") => {
    container.dataset["layout"] = state;
    container.setAttribute("aria-busy", String(state !== "still"));
  };
  if (count <= AT_ONCE) {
    forceAtlas2.assign(graph, { iterations: 150, settings });
    render();
    settled("still");
  } else {
    // The worker settles the layout in a few seconds while the page stays usable. Sigma redraws as
    // it moves the nodes; unless motion is unwelcome: then the drawing waits for the layout's end.
    layout = new FA2Layout(graph, { settings: { ...settings, barnesHutOptimize: true } });
    layout.start();
    if (!still) render();
    settled(still ? "laying-out" : "moving");
    timer = setTimeout(() => {
      layout?.stop();
      if (!renderer) render();
      settled("still");
    }, WORKER_MS);
  }
  return () => {
    clearTimeout(timer);
    layout?.kill();
    renderer?.kill();
  };
}
