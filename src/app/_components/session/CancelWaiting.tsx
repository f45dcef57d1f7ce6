"use client";

import { StopLab, type StopWords } from "../lab/StopLab";
import type { LiveSession } from "./useSessionLive";

/** What Cancel asks while in line: the place in line goes, nothing else (the lab never started). */
const LEAVE_LINE_WORDS: StopWords = {
  title: (labTitle) => `Stop waiting for ${labTitle}?`,
  body: "You lose your place in line. Nothing was started yet; you can start the lab again later.",
  confirmText: "Stop waiting",
  workingText: "Leaving the line…",
};

/** Cancel, for a session waiting in line (the lab page and the home's list), confirmed first. */
export function CancelWaiting({
  sessionId,
  labTitle,
  onStopped,
}: {
  sessionId: string;
  labTitle: string;
  onStopped: (session: LiveSession) => void;
}) {
  return (
    <StopLab
      sessionId={sessionId}
      labTitle={labTitle}
      label="Cancel"
      ariaLabel={`Cancel waiting for ${labTitle}`}
      words={LEAVE_LINE_WORDS}
      onStopped={onStopped}
    />
  );
}
