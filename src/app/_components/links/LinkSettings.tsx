"use client";

// One interface's link settings (the topology opens it on an interface): delay, jitter, loss and
// rate on what the container sends out of it, Apply and Remove. Errors show inline; the worker
// applies the change and the session's view (SessionView.links) follows by push. An interface
// under its class's impairment is the instructor's: shown, not changeable here.
import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { formatLinkSpec, type LinkView } from "~/protocol/linkSpec";
import { useTRPC } from "~/trpc/react";
import { formOf, specOfForm } from "./linkForm";
import { FormOutcome } from "./FormOutcome";
import { LinkSpecFields } from "./LinkSpecFields";

export function LinkSettings({
  sessionId,
  container,
  iface,
  current,
  onClose,
}: {
  sessionId: string;
  container: string;
  iface: string;
  /** The interface's impairment now (from SessionView.links), if it has one. */
  current?: LinkView;
  onClose?: () => void;
}) {
  const trpc = useTRPC();
  const id = useId();
  const [values, setValues] = useState(() => formOf(current?.spec));
  const [problem, setProblem] = useState("");
  const [done, setDone] = useState("");
  const onSuccess = (text: string) => () => {
    setProblem("");
    setDone(text);
  };
  const set = useMutation(trpc.links.set.mutationOptions({ onSuccess: onSuccess("Applied.") }));
  const clear = useMutation(trpc.links.clear.mutationOptions({ onSuccess: onSuccess("Removed.") }));
  const pending = set.isPending || clear.isPending;
  const error = problem || (set.isError ? set.error.message : clear.isError ? clear.error.message : "");
  const classHeld = current?.source === "class";

  return (
    <form
      aria-labelledby={`${id}-heading`}
      className="link-settings"
      onSubmit={(e) => {
        e.preventDefault();
        setDone("");
        clear.reset();
        const made = specOfForm(values);
        if ("error" in made) return setProblem(made.error);
        setProblem("");
        set.mutate({ sessionId, container, iface, spec: made.spec });
      }}
    >
      <h3 id={`${id}-heading`}>
        Link settings: {container} {iface}
      </h3>
      <p className="muted">
        {current ? `Now: ${formatLinkSpec(current.spec)}.` : "No impairment now."} Applies to what {container} sends out of{" "}
        {iface}.
      </p>
      {classHeld ? (
        <p>Your instructor set this for the whole class; it cannot be changed here.</p>
      ) : (
        <>
          <LinkSpecFields id={id} values={values} onChange={setValues} disabled={pending} error={error} errorId={`${id}-error`} />
          <div className="actions">
            <button type="submit" disabled={pending} aria-disabled={pending}>
              {set.isPending ? "Applying…" : "Apply"}
            </button>
            <button
              type="button"
              disabled={pending || !current}
              aria-disabled={pending || !current}
              onClick={() => {
                setDone("");
                set.reset();
                setProblem("");
                clear.mutate({ sessionId, container, iface });
              }}
            >
              {clear.isPending ? "Removing…" : "Remove"}
            </button>
            {onClose && (
              <button type="button" onClick={onClose}>
                Close
              </button>
            )}
          </div>
        </>
      )}
      <FormOutcome done={done} error={error} errorId={`${id}-error`} />
    </form>
  );
}
