"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import { LabGuide } from "./LabGuide";
import { ShareSession } from "./ShareSession";
import { Terminal } from "./Terminal";

const WAITING = new Set(["QUEUED", "PROVISIONING", "STOPPING"]);

export function SessionPanel({ sessionId }: { sessionId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [chosen, setChosen] = useState<string | null>(null);
  const [inject, setInject] = useState<{ id: number; terminal: string; text: string } | null>(null);
  const runInTerminal = (terminal: string, command: string) => {
    setChosen(terminal);
    setInject((previous) => ({ id: (previous?.id ?? 0) + 1, terminal, text: `${command}\r` }));
  };
  const session = useQuery(
    trpc.session.get.queryOptions(
      { sessionId },
      {
        // Poll while the worker is busy; stop once the session settles.
        refetchInterval: (query) => (query.state.data && !WAITING.has(query.state.data.status) ? false : 500),
        retry: false,
      },
    ),
  );
  const stop = useMutation(
    trpc.session.stop.mutationOptions({
      onSuccess: (view) => queryClient.setQueryData(trpc.session.get.queryKey({ sessionId }), view),
    }),
  );

  if (session.isPending) return <p>Loading session…</p>;
  if (session.isError) {
    return (
      <p role="alert" className="error">
        {session.error.message} <Link href="/">Back to labs</Link>
      </p>
    );
  }
  const s = session.data;
  const owner = s.access === "owner";
  const canStop = owner && s.status !== "STOPPED" && s.status !== "STOPPING";
  return (
    <section>
      <div className="session-head">
        <h1>{s.labTitle}</h1>
        {canStop && (
          <button className="danger" disabled={stop.isPending} onClick={() => stop.mutate({ sessionId })}>
            Stop lab
          </button>
        )}
      </div>
      {stop.isError && <p className="error">{stop.error.message}</p>}
      <div className="status" data-testid="session-status" data-status={s.status}>
        {WAITING.has(s.status) && <span className="spinner" aria-hidden />}
        <strong>{statusLabel[s.status]}</strong>
        {s.statusReason && <span className={s.status === "FAILED" ? "error" : "tagline"}>{s.statusReason}</span>}
      </div>
      {s.status === "READY" && owner && <ShareSession sessionId={s.id} />}
      {s.status === "READY" && !owner && <p className="tagline">You joined this lab as a {s.access}.</p>}
      {s.status === "READY" && s.defaultTerminal && (
        <div className="workspace">
          <LabGuide sessionId={s.id} canCheck={s.access !== "viewer"} canSubmit={owner} onRun={runInTerminal} />
          <div className="terminal-column">
          {s.terminals.length > 1 && (
            <nav className="terminal-tabs" aria-label="Terminals">
              {s.terminals.map((name) => (
                <button
                  key={name}
                  className={name === (chosen ?? s.defaultTerminal) ? "tab active" : "tab"}
                  aria-pressed={name === (chosen ?? s.defaultTerminal)}
                  onClick={() => setChosen(name)}
                >
                  {name}
                </button>
              ))}
            </nav>
          )}
          <Terminal
            key={chosen ?? s.defaultTerminal}
            sessionId={s.id}
            terminal={chosen ?? s.defaultTerminal}
            inject={inject && inject.terminal === (chosen ?? s.defaultTerminal) ? inject : null}
          />
          </div>
        </div>
      )}
      {(s.status === "STOPPED" || s.status === "FAILED") && (
        <p>
          <Link href="/">Back to labs</Link>
        </p>
      )}
    </section>
  );
}

const statusLabel: Record<string, string> = {
  QUEUED: "Queued",
  PROVISIONING: "Starting containers",
  READY: "Running",
  STOPPING: "Stopping",
  STOPPED: "Stopped",
  FAILED: "Failed",
};
