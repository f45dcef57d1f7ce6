"use client";

import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";

/** The owner invites others to drive (type) or watch the session's terminals. */
export function ShareSession({ sessionId }: { sessionId: string }) {
  const trpc = useTRPC();
  const share = useMutation(trpc.session.share.mutationOptions());
  const url = share.data ? `${window.location.origin}${share.data.path}` : null;
  return (
    <div className="share">
      <button className="tab" onClick={() => share.mutate({ sessionId, role: "driver" })}>
        Invite someone to type
      </button>
      <button className="tab" onClick={() => share.mutate({ sessionId, role: "viewer" })}>
        Invite someone to watch
      </button>
      {share.isError && <span className="error">{share.error.message}</span>}
      {url && (
        <label>
          {share.data?.role === "driver" ? "Typing" : "Watching"} link (24 h):{" "}
          <input data-testid="invite-link" readOnly value={url} onFocus={(e) => e.currentTarget.select()} size={60} />
        </label>
      )}
    </div>
  );
}
