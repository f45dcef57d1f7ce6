"use client";

import { useState } from "react";
import { formatTimeLeft, warningToSay } from "../session/timeLeft";
import { useNow } from "../session/useNow";

/**
 * A running session's time left ("42 min left"), from its expiresAt and the browser's clock, and
 * once, 5 minutes before the end, a polite announcement: "5 minutes left: submit your work."
 */
export function TimeLeft({ expiresAt }: { expiresAt: Date }) {
  const now = useNow();
  const [warned, setWarned] = useState<{ for: number | null; text: string }>({ for: null, text: "" });
  const warning = warningToSay(expiresAt, now, warned.for);
  if (warning) setWarned({ for: expiresAt.getTime(), text: warning });
  return (
    <p className="time-left" data-testid="time-left">
      <span>{formatTimeLeft(expiresAt, now)}</span>{" "}
      <span role="status" aria-live="polite" className="warning-text">
        {warned.for === expiresAt.getTime() ? warned.text : ""}
      </span>
    </p>
  );
}
