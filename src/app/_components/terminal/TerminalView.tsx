"use client";

import type { RefObject } from "react";
import type { SharedTerminal } from "./useSharedTerminal";
import { TerminalBar } from "./TerminalBar";

/** The shared terminal on the page: its status bar, the gateway's notices, and the screen. */
export function TerminalView({
  terminal,
  shared,
  mountRef,
}: {
  terminal: string;
  shared: Omit<SharedTerminal, "mountRef">;
  /** Where xterm mounts its screen (passed apart from the state: a ref is not read while rendering). */
  mountRef: RefObject<HTMLDivElement | null>;
}) {
  return (
    <div>
      <TerminalBar
        terminal={terminal}
        state={shared.state}
        role={shared.role}
        you={shared.you}
        presence={shared.presence}
        keysHintId={shared.keysHintId}
      />
      {shared.notice && (
        <p className="error" role="status">
          {shared.notice}{" "}
          <button type="button" className="tab" onClick={shared.dismissNotice}>
            Dismiss
          </button>
        </p>
      )}
      <div className="terminal-frame" ref={mountRef} data-testid="terminal" />
    </div>
  );
}
