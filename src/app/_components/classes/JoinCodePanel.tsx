"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, useSyncExternalStore } from "react";
import { useTRPC } from "~/trpc/react";
import { Outcome } from "./Outcome";
import { formatWhen } from "./when";

/** The page's origin never changes while it is open. */
const noChange = () => () => undefined;

/** The class's join code and link (copyable), when it expires, and Rotate (a new code; the old one stops working). */
export function JoinCodePanel({
  classId,
  joinCode,
  expiresAt,
  expired,
}: {
  classId: string;
  joinCode: string;
  expiresAt: Date;
  expired: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const origin = useSyncExternalStore(
    noChange,
    () => window.location.origin,
    () => "",
  );
  const link = `${origin}/join/${joinCode}`;
  const [copied, setCopied] = useState("");
  const [days, setDays] = useState("14");
  const rotate = useMutation(
    trpc.classes.rotateCode.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.classes.get.queryKey({ classId }) }),
    }),
  );
  const copy = () =>
    navigator.clipboard.writeText(link).then(
      () => setCopied("Join link copied."),
      () => setCopied("Could not copy: select the link and copy it yourself."),
    );
  return (
    <section aria-labelledby={`${id}-heading`} className="card">
      <h2 id={`${id}-heading`}>Join code</h2>
      <p className="join-code">{joinCode}</p>
      <p className={expired ? "error" : "muted"}>
        {expired
          ? `Expired on ${formatWhen(expiresAt)}: rotate it to let learners join.`
          : `Works until ${formatWhen(expiresAt)}.`}
      </p>
      <label htmlFor={`${id}-link`}>Join link</label>
      <div className="inline-form">
        <input id={`${id}-link`} readOnly value={link} onFocus={(e) => e.target.select()} />
        <button type="button" onClick={() => void copy()}>
          Copy link
        </button>
      </div>
      <p role="status" aria-live="polite">
        {copied}
      </p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!rotate.isPending) rotate.mutate({ classId, codeDays: Number(days) });
        }}
      >
        <label htmlFor={`${id}-days`}>New code works for (days, 1–90)</label>
        <input id={`${id}-days`} type="number" min={1} max={90} value={days} onChange={(e) => setDays(e.target.value)} required />
        <button type="submit" className="secondary" aria-disabled={rotate.isPending}>
          {rotate.isPending ? "Rotating…" : "Rotate code"}
        </button>
      </form>
      <Outcome
        error={rotate.error}
        success={rotate.isSuccess && `New code ${rotate.data.joinCode}: the old one no longer works.`}
      />
    </section>
  );
}
