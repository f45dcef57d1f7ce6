"use client";

// The instructor's class-wide link impairment ("200 ms and 5% loss on everyone's default bridge"):
// every learner container on the default bridge of each of the class's running sessions, and of
// sessions that start while it is set, until it is removed.
import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { formatLinkSpec } from "~/protocol/linkSpec";
import { useTRPC } from "~/trpc/react";
import { EMPTY_FORM, specOfForm } from "../links/linkForm";
import { FormOutcome } from "../links/FormOutcome";
import { LinkSpecFields } from "../links/LinkSpecFields";

export function ClassLinks({ classId }: { classId: string }) {
  const trpc = useTRPC();
  const id = useId();
  const current = useQuery(trpc.links.forClass.queryOptions({ classId }));
  const [values, setValues] = useState(EMPTY_FORM);
  const [problem, setProblem] = useState("");
  const [done, setDone] = useState("");
  const after = (text: string) => () => {
    setDone(text);
    void current.refetch();
  };
  const set = useMutation(trpc.links.setForClass.mutationOptions({ onSuccess: after("Applied to every session of the class.") }));
  const clear = useMutation(trpc.links.clearForClass.mutationOptions({ onSuccess: after("Removed from the class.") }));
  const pending = set.isPending || clear.isPending;
  const error = problem || (set.isError ? set.error.message : clear.isError ? clear.error.message : "");

  return (
    <form
      aria-labelledby={`${id}-heading`}
      onSubmit={(e) => {
        e.preventDefault();
        setDone("");
        clear.reset();
        const made = specOfForm(values);
        if ("error" in made) return setProblem(made.error);
        setProblem("");
        set.mutate({ classId, spec: made.spec });
      }}
    >
      <h3 id={`${id}-heading`}>Slow down the class&apos;s links</h3>
      <p className="muted">
        Impairs what every learner container on each session&apos;s default bridge sends.{" "}
        {current.data ? `Now: ${formatLinkSpec(current.data)}.` : current.isSuccess ? "None now." : ""}
      </p>
      <LinkSpecFields id={id} values={values} onChange={setValues} disabled={pending} error={error} errorId={`${id}-error`} />
      <div className="actions">
        <button type="submit" disabled={pending} aria-disabled={pending}>
          {set.isPending ? "Applying…" : "Apply to the class"}
        </button>
        <button
          type="button"
          disabled={pending || !current.data}
          aria-disabled={pending || !current.data}
          onClick={() => {
            setDone("");
            set.reset();
            setProblem("");
            clear.mutate({ classId });
          }}
        >
          {clear.isPending ? "Removing…" : "Remove from the class"}
        </button>
      </div>
      <FormOutcome done={done} error={error} errorId={`${id}-error`} />
    </form>
  );
}
