"use client";

import { useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { TopologyView } from "~/core/sessions/engineView";
import { CapturePanel } from "../capture/CapturePanel";
import { useCapture } from "../capture/useCapture";
import { TopologyGraph } from "./TopologyGraph";
import { topologyElements, type TopologyLink, type TopologyNodeData } from "./topologyElements";
import { TopologyTable, type InterfaceChoice } from "./TopologyTable";
import "./topology.css";

/**
 * The session's live topology (pushed with its engine view): the graph, the same facts as tables,
 * and what an interface offers: a capture (B2's panel, over the worker's /capture namespace) and
 * its link settings. A click on a container (graph or table) opens its terminal. Viewers see
 * everything, start nothing.
 */
export function TopologyPanel({
  sessionId,
  topology,
  links,
  terminals,
  canCapture,
  canSetLinks,
  onOpenTerminal,
  linkSettings,
}: {
  sessionId: string;
  topology: TopologyView;
  links: readonly TopologyLink[];
  terminals: readonly string[];
  /** Owner, driver, instructor: may start and stop captures. */
  canCapture: boolean;
  /** Owner, driver, instructor: may set an interface's impairment. */
  canSetLinks: boolean;
  onOpenTerminal: (container: string) => void;
  /** The link settings form of one interface (links/LinkSettings), given by the page. */
  linkSettings?: (choice: InterfaceChoice & { link: TopologyLink | undefined; onDone: () => void }) => ReactNode;
}) {
  const capture = useCapture(sessionId);
  const [selected, setSelected] = useState<InterfaceChoice | null>(null);
  const [settingLinks, setSettingLinks] = useState(false);
  const [captureClosed, setCaptureClosed] = useState(false);
  const [starting, setStarting] = useState(false);
  const elements = useMemo(() => topologyElements(topology, links), [topology, links]);
  // A selected interface that went (its container removed) is let go.
  const current =
    selected &&
    topology.namespaces.some((ns) => ns.owner === selected.owner && ns.interfaces.some((i) => i.name === selected.iface))
      ? selected
      : null;

  // Choosing an interface moves focus to its actions (their name says which); Close or Escape returns it to the interface's button.
  const actions = useRef<HTMLDivElement>(null);
  const [focusActions, setFocusActions] = useState(0);
  useEffect(() => {
    if (focusActions) actions.current?.focus();
  }, [focusActions]);
  const choose = (choice: InterfaceChoice) => {
    setSelected(choice);
    setSettingLinks(false);
    setFocusActions((n) => n + 1);
  };
  const close = () => {
    if (current) document.querySelector<HTMLElement>(`[data-testid="topology-iface-${current.owner}-${current.iface}"]`)?.focus();
    setSelected(null);
  };
  const onNode = (node: TopologyNodeData) => {
    if (node.kind === "interface" && node.owner && node.iface) choose({ owner: node.owner, iface: node.iface });
    else if (node.container && terminals.includes(node.container)) onOpenTerminal(node.container);
  };
  const startCapture = async (choice: InterfaceChoice) => {
    setStarting(true);
    setCaptureClosed(false);
    try {
      await capture.start(choice.owner, choice.iface); // a refusal shows in the capture panel's notice
    } finally {
      setStarting(false);
    }
  };
  const showCapture = !captureClosed && (capture.captures.length > 0 || capture.notice !== null || starting);
  const link = current ? links.find((l) => l.container === current.owner && l.iface === current.iface) : undefined;

  return (
    <section className="topology-panel" aria-labelledby="topology-title" data-testid="topology-panel">
      <h2 id="topology-title">Topology</h2>
      <p className="tagline">
        Live from the engine. Choose a container to open its terminal, or an interface to capture on it
        {canSetLinks ? " or change its link" : ""}.
      </p>
      <div className="topology-layout">
        <TopologyGraph elements={elements} onNode={onNode} />
        {current && (
          <div
            className="topology-actions"
            role="group"
            ref={actions}
            tabIndex={-1}
            aria-label={`Actions for interface ${current.iface} of container ${current.owner}`}
            data-testid="topology-actions"
            onKeyDown={(event) => {
              if (event.key === "Escape") close();
            }}
          >
            <strong>
              {current.iface} of {current.owner}
            </strong>
            {canCapture && (
              <button type="button" disabled={starting} onClick={() => void startCapture(current)}>
                Capture on {current.iface}
              </button>
            )}
            {canSetLinks && linkSettings && (
              <button type="button" className="secondary" aria-expanded={settingLinks} onClick={() => setSettingLinks((v) => !v)}>
                Link settings
              </button>
            )}
            {!canCapture && (
              <span className="tagline">Only its owner, a driver or the instructor can capture or change links.</span>
            )}
            <button type="button" className="secondary" onClick={close}>
              Close
            </button>
          </div>
        )}
        {current && settingLinks && canSetLinks && linkSettings?.({ ...current, link, onDone: () => setSettingLinks(false) })}
      </div>
      <TopologyTable
        topology={topology}
        links={links}
        terminals={terminals}
        selected={current}
        onOpenTerminal={onOpenTerminal}
        onInterface={choose}
      />
      {showCapture && <CapturePanel sessionId={sessionId} canCapture={canCapture} onClose={() => setCaptureClosed(true)} />}
    </section>
  );
}
