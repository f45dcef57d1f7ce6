"use client";

import { useMutation } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import type { CaptureAck, CapturedPacket, CaptureInfo } from "~/protocol/terminalProtocol";
import { useTRPC } from "~/trpc/react";
import { acquireCaptureClient, releaseCaptureClient, type CaptureClient, type CaptureSnapshot } from "./captureClient";

export type UseCapture = {
  connection: CaptureSnapshot["connection"];
  /** Every capture of the session (running and recently ended), as the worker lists them. */
  captures: CaptureInfo[];
  /** The capture the panel shows (the one started here last, else the newest running one). */
  focused: CaptureInfo | null;
  /** The packets received of the focused capture (grows as they arrive). */
  packets: CapturedPacket[];
  /** Changes whenever anything above does. */
  version: number;
  announcement: string;
  notice: string | null;
  dismissNotice: () => void;
  /** Starts a capture on `container`'s `iface` and shows it; a refusal is also put in `notice`. */
  start: (container: string, iface: string) => Promise<CaptureAck>;
  /** Ends a capture for everyone. */
  stop: (captureId: string) => Promise<CaptureAck>;
  /** Shows another capture of the session. */
  focus: (captureId: string) => void;
  /** Connect again after a refusal (a fresh token). */
  retry: () => void;
};

const EMPTY: CapturedPacket[] = [];

/**
 * The session's captures over the worker's `/capture` namespace. Every component of the page that
 * calls it for the same session shares one socket (the topology starts a capture, the panel shows it).
 */
export function useCapture(sessionId: string): UseCapture {
  const trpc = useTRPC();
  const issueToken = useMutation(
    trpc.capture.token.mutationOptions({
      // A request the network lost is tried again; a refusal is not.
      retry: (failures, error) => failures < 3 && !error.data,
      retryDelay: (failures) => 500 * 2 ** failures,
    }),
  );
  const mintRef = useRef(issueToken.mutateAsync);
  useEffect(() => {
    mintRef.current = issueToken.mutateAsync;
  }, [issueToken.mutateAsync]);

  const [client, setClient] = useState<CaptureClient | null>(null);
  useEffect(() => {
    const c = acquireCaptureClient(sessionId, () => mintRef.current({ sessionId }));
    c.open();
    setClient(c);
    return () => releaseCaptureClient(sessionId);
  }, [sessionId]);

  const subscribe = useCallback((fn: () => void) => (client ? client.subscribe(fn) : () => undefined), [client]);
  const snapshot = useSyncExternalStore(
    subscribe,
    () => client?.getSnapshot() ?? null,
    () => null,
  );

  return useMemo(() => {
    const focused = snapshot?.captures.find((c) => c.id === snapshot.focusId) ?? null;
    const unavailable = async (): Promise<CaptureAck> => ({
      ok: false,
      error: { code: "unavailable", message: "the capture connection is not open yet" },
    });
    return {
      connection: snapshot?.connection ?? { kind: "connecting" },
      captures: snapshot?.captures ?? [],
      focused,
      packets: (focused && snapshot?.packets.get(focused.id)) || EMPTY,
      version: snapshot?.version ?? 0,
      announcement: snapshot?.announcement ?? "",
      notice: snapshot?.notice ?? null,
      dismissNotice: () => client?.dismissNotice(),
      start: (container, iface) => (client ? client.start(container, iface) : unavailable()),
      stop: (captureId) => (client ? client.stop(captureId) : unavailable()),
      focus: (captureId) => client?.focus(captureId),
      retry: () => client?.retry(),
    };
  }, [client, snapshot]);
}
