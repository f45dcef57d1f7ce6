"use client";

import Link from "next/link";
import { formatTimeLeft } from "../session/timeLeft";
import { CancelWaiting } from "../session/CancelWaiting";
import { statusLabel } from "../session/statusLabel";
import { useNow } from "../session/useNow";
import { StopLab } from "../lab/StopLab";
import { OWNER } from "~/protocol/roles";
import { Status } from "~/protocol/sessionStatus";
import { RUNNING_LABS_ID } from "./StartError";
import type { MySessions } from "./useMySessions";

/** "Your running labs": each session of mine that has not ended, with its status, time left, Open and Stop (confirmed). */
export function RunningLabs({ mine }: { mine: MySessions }) {
  const now = useNow();
  const running = mine.sessions?.filter((s) => !s.isSettled) ?? [];
  return (
    <section aria-labelledby={`${RUNNING_LABS_ID}-title`} id={RUNNING_LABS_ID} tabIndex={-1}>
      <h2 id={`${RUNNING_LABS_ID}-title`}>Your running labs</h2>
      {mine.error && (
        <p role="alert" className="error">
          Could not load your labs: {mine.error}
        </p>
      )}
      {!mine.sessions && !mine.error && <p role="status">Loading your labs…</p>}
      {mine.sessions && running.length === 0 && <p className="tagline">No lab is running. Start one below.</p>}
      {running.length > 0 && (
        <ul className="home-list" data-testid="running-labs">
          {running.map((s) => (
            <li key={s.id} data-testid={`running-${s.id}`}>
              <span className="home-item-title">{s.labTitle}</span>
              <span className="home-item-meta" data-testid="running-status">
                {statusLabel[s.status]}
                {s.access !== OWNER && ` · joined as a ${s.access}`}
                {/* In line, its time has not started: it starts when the lab does. */}
                {s.status !== Status.waiting && ` · ${formatTimeLeft(s.expiresAt, now)}`}
              </span>
              <Link href={`/sessions/${s.id}`} aria-label={`Open ${s.labTitle}`}>
                Open
              </Link>
              {s.canStop &&
                (s.status === Status.waiting ? (
                  <CancelWaiting sessionId={s.id} labTitle={s.labTitle} onStopped={mine.apply} />
                ) : (
                  <StopLab
                    sessionId={s.id}
                    labTitle={s.labTitle}
                    label="Stop"
                    ariaLabel={`Stop ${s.labTitle}`}
                    onStopped={mine.apply}
                  />
                ))}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
