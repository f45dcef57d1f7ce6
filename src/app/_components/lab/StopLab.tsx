"use client";

import { useMutation } from "@tanstack/react-query";
import { useReducer } from "react";
import type { LiveSession } from "../session/useSessionLive";
import { useTRPC } from "~/trpc/react";
import { ConfirmDialog } from "./ConfirmDialog";
import { CLOSED, confirmReducer } from "./confirmState";

export type StopWords = { title: (labTitle: string) => string; body: string; confirmText: string; workingText: string };

const STOP_WORDS: StopWords = {
  title: (labTitle) => `Stop ${labTitle}?`,
  body: "Its containers and terminals are removed. The steps, your check results and your score stay on the lab's page, read-only; you can start the lab again.",
  confirmText: "Stop",
  workingText: "Stopping…",
};

/**
 * "Stop lab", confirmed first: the containers and what was typed in them go, the steps, results
 * and score stay on the session's page. `onStopped` gets the stopped (or stopping) session's view.
 */
export function StopLab({
  sessionId,
  labTitle,
  label = "Stop lab",
  ariaLabel,
  onStopped,
  words = STOP_WORDS,
}: {
  sessionId: string;
  labTitle: string;
  label?: string;
  /** The button's accessible name when its text is not enough (on the home page it names the lab). */
  ariaLabel?: string;
  onStopped?: (session: LiveSession) => void;
  /** What the confirmation says (a session waiting in line says it leaves the line: src/app/_components/SessionPanel.tsx). */
  words?: StopWords;
}) {
  const trpc = useTRPC();
  const [state, dispatch] = useReducer(confirmReducer, CLOSED);
  const stop = useMutation(trpc.session.stop.mutationOptions());
  const confirm = () => {
    dispatch({ type: "confirm" });
    stop.mutateAsync({ sessionId }).then(
      (view) => {
        dispatch({ type: "done" });
        onStopped?.(view);
      },
      (error: Error) => dispatch({ type: "fail", message: `Could not stop it: ${error.message}` }),
    );
  };
  return (
    <>
      <button
        type="button"
        className="danger"
        aria-haspopup="dialog"
        aria-label={ariaLabel}
        onClick={() => dispatch({ type: "ask" })}
      >
        {label}
      </button>
      <ConfirmDialog
        state={state}
        title={words.title(labTitle)}
        body={words.body}
        confirmText={words.confirmText}
        workingText={words.workingText}
        onConfirm={confirm}
        onCancel={() => dispatch({ type: "cancel" })}
      />
    </>
  );
}
