"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useTRPC } from "~/trpc/react";
import { Instructions } from "../Instructions";
import type { TypeCommand } from "./CommandBlock";

/**
 * A step's solution: shown once revealed (by anyone in the session: it is pushed), its commands
 * typed like the instructions'. The owner and drivers may reveal it, after confirming that the
 * submission records it.
 */
export function StepSolution({
  sessionId,
  stepId,
  stepTitle,
  solution,
  canReveal,
  onType,
}: {
  sessionId: string;
  stepId: string;
  stepTitle: string;
  /** The revealed solution (Markdown), or null while it is not. */
  solution: string | null;
  canReveal: boolean;
  /** Types a command into a terminal; absent for someone who may not type (a viewer): commands are only shown. */
  onType?: TypeCommand;
}) {
  const trpc = useTRPC();
  const reveal = useMutation(trpc.grading.revealSolution.mutationOptions());
  const [confirming, setConfirming] = useState(false);
  const showButton = useRef<HTMLButtonElement>(null);
  // The push brings the solution to every page; this page's own answer shows it at once.
  const shown = solution ?? reveal.data?.solution ?? null;
  // Who revealed it here continues from the solution's heading: the confirm step that had the focus
  // is gone (the focus fell back to the page). Focus they moved elsewhere meanwhile is left alone.
  const heading = useRef<HTMLHeadingElement>(null);
  const revealedHere = reveal.isSuccess;
  useEffect(() => {
    if (revealedHere && (!document.activeElement || document.activeElement === document.body)) heading.current?.focus();
  }, [revealedHere]);

  if (shown !== null)
    return (
      <section className="solution" aria-labelledby={`solution-title-${stepId}`} data-testid={`solution-${stepId}`}>
        <h4 id={`solution-title-${stepId}`} ref={heading} tabIndex={-1}>
          Solution (revealed: your submission records it)
        </h4>
        <Instructions text={shown} onType={onType} />
      </section>
    );
  if (!canReveal) return null;
  if (!confirming)
    return (
      <p>
        <button ref={showButton} type="button" className="tab" onClick={() => setConfirming(true)}>
          Show solution
        </button>
      </p>
    );
  return (
    <div className="confirm" role="group" aria-labelledby={`reveal-question-${stepId}`}>
      <p id={`reveal-question-${stepId}`}>
        Show the solution of “{stepTitle}”? Your submission will record that this step&apos;s solution was revealed.
      </p>
      <button
        type="button"
        className="danger"
        // The confirm step opens on a keyboard press too: its first button takes the focus.
        autoFocus
        disabled={reveal.isPending}
        onClick={() => reveal.mutate({ sessionId, stepId }, { onSuccess: () => setConfirming(false) })}
      >
        {reveal.isPending ? "Revealing…" : "Reveal the solution"}
      </button>{" "}
      <button
        type="button"
        className="tab"
        onClick={() => {
          setConfirming(false);
          reveal.reset();
          requestAnimationFrame(() => showButton.current?.focus());
        }}
      >
        Cancel
      </button>
      {reveal.isError && (
        <p role="alert" className="error">
          {reveal.error.message}
        </p>
      )}
    </div>
  );
}
