"use client";

import type { Core, ElementDefinition, StylesheetJson } from "cytoscape";
import { useEffect, useRef, useState } from "react";
import type { TopologyElements, TopologyNodeData } from "./topologyElements";

const STYLE: StylesheetJson = [
  {
    selector: "node",
    style: {
      label: "data(label)",
      "text-wrap": "wrap",
      "font-size": 11,
      color: "#d7dee6",
      "text-valign": "center",
      "text-halign": "center",
      "background-color": "#2b3a48",
      "border-width": 1,
      "border-color": "#4b6275",
      width: "label",
      height: "label",
      padding: "6px",
      shape: "round-rectangle",
    },
  },
  {
    selector: ":parent",
    style: {
      "text-valign": "top",
      "text-halign": "center",
      "background-color": "#151d25",
      "background-opacity": 0.5,
      "border-color": "#6b8499",
      "font-weight": "bold",
    },
  },
  { selector: 'node[kind = "namespace"]:childless', style: { "background-color": "#1d2832" } },
  {
    selector: 'node[kind = "interface"], node[kind = "container"]',
    style: { "z-compound-depth": "top" },
  },
  { selector: 'node[kind = "interface"]', style: { shape: "ellipse", "background-color": "#24506b", "font-size": 10 } },
  { selector: "node[?impaired]", style: { "border-color": "#ff9f43", "border-width": 3, color: "#ffd29c" } },
  { selector: 'node[kind = "network"]', style: { shape: "hexagon", "background-color": "#3d2f58", "border-color": "#8a6fc0" } },
  { selector: 'node[kind = "container"]', style: { "background-color": "#28462f", "border-color": "#5e9e6c" } },
  { selector: "node:selected", style: { "border-color": "#ffe066", "border-width": 3 } },
  {
    selector: "edge",
    style: {
      label: "data(label)",
      "text-wrap": "wrap",
      "font-size": 9,
      color: "#aebccb",
      "text-background-color": "#0b0f13",
      "text-background-opacity": 0.8,
      "text-background-padding": "2px",
      width: 1.5,
      "line-color": "#6b8499",
      "z-compound-depth": "top",
      "curve-style": "bezier",
    },
  },
  {
    selector: 'edge[kind = "dns"]',
    style: { "line-style": "dashed", "line-color": "#c9a227", "target-arrow-shape": "triangle", "target-arrow-color": "#c9a227" },
  },
];

/** The graph (cytoscape, loaded in the browser only). The table beside it carries the same facts for keyboards and screen readers. */
export function TopologyGraph({ elements, onNode }: { elements: TopologyElements; onNode: (node: TopologyNodeData) => void }) {
  const box = useRef<HTMLDivElement>(null);
  const cy = useRef<Core | null>(null);
  const onNodeRef = useRef(onNode);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    onNodeRef.current = onNode;
  }, [onNode]);

  useEffect(() => {
    let cancelled = false;
    let resized: ResizeObserver | undefined;
    void import("cytoscape").then(({ default: cytoscape }) => {
      if (cancelled || !box.current) return;
      const instance = cytoscape({ container: box.current, style: STYLE, minZoom: 0.3, maxZoom: 2.5, wheelSensitivity: 0.3 });
      instance.on("tap", "node", (event) => onNodeRef.current(event.target.data() as TopologyNodeData));
      cy.current = instance;
      // A narrower screen (a phone turned, a panel resized): the drawing follows its box.
      resized = new ResizeObserver(() => {
        instance.resize();
        instance.fit(undefined, 16);
      });
      resized.observe(box.current);
      setReady(true);
    });
    return () => {
      cancelled = true;
      resized?.disconnect();
      cy.current?.destroy();
      cy.current = null;
    };
  }, []);

  // Same elements: labels updated in place; new or removed ones: laid out again.
  const shape = [...elements.nodes.map((n) => `${n.id}<${n.parent ?? ""}`), ...elements.edges.map((e) => e.id)].join(" ");
  const laidOut = useRef("");
  useEffect(() => {
    const instance = cy.current;
    if (!ready || !instance) return;
    const definitions: ElementDefinition[] = [
      ...elements.nodes.map((data) => ({ group: "nodes" as const, data })),
      ...elements.edges.map((data) => ({ group: "edges" as const, data })),
    ];
    if (laidOut.current === shape) {
      instance.batch(() => {
        for (const d of definitions) instance.getElementById(d.data.id!).data(d.data);
      });
      return;
    }
    laidOut.current = shape;
    instance.batch(() => {
      instance.elements().remove();
      instance.add(definitions);
    });
    // cytoscape's cose lays compound nodes (namespaces) out with their children.
    instance.layout({ name: "cose", animate: false, nodeDimensionsIncludeLabels: true, padding: 24, randomize: false }).run();
    instance.fit(undefined, 16);
  }, [ready, shape, elements]);

  return (
    <div
      ref={box}
      className="topology-graph"
      data-testid="topology-graph"
      data-ready={ready}
      data-nodes={elements.nodes.map((n) => n.id).join(" ")}
      role="img"
      aria-label="Topology graph of the session (its facts are in the table that follows)"
    />
  );
}
