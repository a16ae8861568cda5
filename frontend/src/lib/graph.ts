/** The network view's drawing: loaded only on that page (sigma.js renders with WebGL). */
import Graph from "graphology";
import forceAtlas2 from "graphology-layout-forceatlas2";
import Sigma from "sigma";

import type { Schemas } from "./api/client";
import { KIND_COLOUR } from "./kinds";


export function draw(container: HTMLElement, network: Schemas["Network"], open: (id: string) => void): () => void {
  const graph = new Graph();
  const count = network.nodes.length;
  network.nodes.forEach((n, i) => {
    // Start on a circle; ForceAtlas2 pulls collaborators together.
    const angle = (2 * Math.PI * i) / Math.max(count, 1);
    graph.addNode(n.id, {
      label: n.name,
      x: Math.cos(angle),
      y: Math.sin(angle),
      size: 3 + Math.sqrt(n.degree) * 2,
      color: KIND_COLOUR[n.kind] ?? "#4a4a55",
    });
  });
  for (const e of network.edges) graph.addEdge(e.source, e.target, { size: Math.min(1 + e.weight, 5), color: "#c9c9d3" });
  forceAtlas2.assign(graph, { iterations: count > 1000 ? 60 : 150, settings: forceAtlas2.inferSettings(graph) });
  const renderer = new Sigma(graph, container, { renderEdgeLabels: false, labelRenderedSizeThreshold: 8 });
  renderer.on("clickNode", ({ node }) => open(node));
  return () => renderer.kill();
}
