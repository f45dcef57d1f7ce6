"use client";

import type { SharedTerminal } from "./useSharedTerminal";
import { TerminalBar } from "./TerminalBar";

/** The shared terminal on the page: its status bar, the gateway's notices, and the screen. */
export function TerminalView({ terminal, shared }: { terminal: string; shared: SharedTerminal }) {
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
        <p className="error" role="status" onClick={shared.dismissNotice}>
          {shared.notice}
        </p>
      )}
      <div className="terminal-frame" ref={shared.mountRef} data-testid="terminal" />
    </div>
  );
}
