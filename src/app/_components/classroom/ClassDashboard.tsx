"use client";

// The class's live dashboard, for its instructor: a row per learner × assigned lab, pushed by
// live.class (no polling, no reload), changes read out politely ("ana-k raised needs help"), the
// instructor's actions per row (watch the terminal, extend, reset and end, each confirmed), and a
// message to the class or to one learner.
import { useMutation } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import Link from "next/link";
import { useId, useReducer, useState } from "react";
import type { DashboardRow } from "~/core/classroom/dashboardRow";
import { isIn, isRunning, LIVE, STOPPABLE } from "~/protocol/sessionStatus";
import { useTRPC } from "~/trpc/react";
import { ConfirmDialog } from "../lab/ConfirmDialog";
import { CLOSED, confirmReducer } from "../lab/confirmState";
import { formatTimeLeft } from "../session/timeLeft";
import { useNow } from "../session/useNow";
import { activityAgo, applyClassEvent, mayChangeClass, tableAnnouncements, type Table } from "./dashboardChanges";
import { ClassLinks } from "./ClassLinks";
import { MessageForm } from "./MessageForm";

type Pending = { kind: "reset" | "end"; row: DashboardRow } | null;

/**
 * `onClassChange`: called when the dashboard's stream says the class, its roster or assignments
 * changed (or may have, after a resync or reconnection), so the page can read them again: the
 * class page stays live through this one subscription.
 */
export function ClassDashboard({ classId, onClassChange }: { classId: string; onClassChange?: () => void }) {
  const trpc = useTRPC();
  const headingId = useId();
  const now = useNow();
  const [table, setTable] = useState<Table | undefined>(undefined);
  const [announcement, setAnnouncement] = useState("");
  const subscription = useSubscription(
    trpc.live.class.subscriptionOptions(
      { classId },
      {
        onData: (event) => {
          // `table` is this render's: a table already shown means this one re-sends it.
          if (mayChangeClass(table, event)) onClassChange?.();
          setTable((previous) => {
            const next = applyClassEvent(previous, event);
            const said = tableAnnouncements(previous, next);
            if (said.length) setAnnouncement(said.join(". "));
            return next;
          });
        },
      },
    ),
  );
  const [actionError, setActionError] = useState<string | null>(null);
  const [actionDone, setActionDone] = useState("");
  const onError = (error: { message: string }) => setActionError(error.message);
  const extend = useMutation(
    trpc.classroom.extend.mutationOptions({ onSuccess: () => setActionDone("Extended by 15 minutes."), onError }),
  );
  const clearHelp = useMutation(
    trpc.classroom.clearHelp.mutationOptions({ onSuccess: () => setActionDone("Help request cleared."), onError }),
  );
  const reset = useMutation(trpc.classroom.reset.mutationOptions());
  const end = useMutation(trpc.classroom.end.mutationOptions());
  const [pending, setPending] = useState<Pending>(null);
  const [confirm, dispatch] = useReducer(confirmReducer, CLOSED);
  const ask = (kind: "reset" | "end", row: DashboardRow) => {
    setActionError(null);
    setPending({ kind, row });
    dispatch({ type: "ask" });
  };
  const confirmed = () => {
    if (!pending?.row.session) return;
    dispatch({ type: "confirm" });
    const sessionId = pending.row.session.sessionId;
    const done = (text: string) => () => {
      dispatch({ type: "done" });
      setActionDone(text);
    };
    const fail = (error: { message: string }) => dispatch({ type: "fail", message: error.message });
    if (pending.kind === "reset")
      reset.mutate({ sessionId }, { onSuccess: done(`${pending.row.learnerName}'s lab was reset.`), onError: fail });
    else end.mutate({ sessionId }, { onSuccess: done(`${pending.row.learnerName}'s session was ended.`), onError: fail });
  };

  const learners = table ? [...new Map(table.rows.map((r) => [r.learnerId, r.learnerName])).entries()] : [];
  return (
    <section aria-labelledby={headingId} className="class-dashboard">
      <h2 id={headingId}>Live dashboard</h2>
      <p role="status" aria-live="polite" className="visually-hidden" data-testid="dashboard-announcement">
        {announcement}
      </p>
      {subscription.status === "error" && (
        <p role="alert" className="error">
          {subscription.error?.message ?? "The dashboard lost its connection to the server."} Reload the page to try again.
        </p>
      )}
      {!table && subscription.status !== "error" && (
        <p role="status">
          <span className="spinner" aria-hidden="true" /> Loading the class&apos;s sessions…
        </p>
      )}
      {table && table.rows.length === 0 && <p>No rows yet: the dashboard fills once learners join and labs are assigned.</p>}
      {table && table.rows.length > 0 && (
        <div className="dashboard-scroll">
          <table className="users-table dashboard-table">
            <caption>Every learner × assigned lab in {table.className}, updated live</caption>
            <thead>
              <tr>
                <th scope="col">Learner</th>
                <th scope="col">Lab</th>
                <th scope="col">Status</th>
                <th scope="col">Current step</th>
                <th scope="col">Checks passed</th>
                <th scope="col">Best score</th>
                <th scope="col">Last activity</th>
                <th scope="col">Time left</th>
                <th scope="col">Help</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row) => {
                const s = row.session;
                const running = s ? isRunning(s.status) : false;
                return (
                  <tr key={row.key} data-testid="dashboard-row">
                    <th scope="row">{row.learnerName}</th>
                    <td data-label="Lab">{row.labTitle}</td>
                    <td data-label="Status">{s ? s.status.toLowerCase() : "not started"}</td>
                    <td data-label="Current step">{s ? (s.currentStep?.title ?? "all steps passed") : "—"}</td>
                    <td data-label="Checks passed">{s ? `${s.checksPassed} / ${s.checksTotal} checks` : "—"}</td>
                    <td data-label="Best score">{s?.best ? `${s.best.score} / ${s.best.maxScore}` : "—"}</td>
                    <td data-label="Last activity">{s ? activityAgo(s.lastActivityAt, now) : "—"}</td>
                    <td data-label="Time left">{s && running ? formatTimeLeft(s.expiresAt, now) : "—"}</td>
                    <td data-label="Help">
                      {s?.help ? (
                        <strong className="warning-text">
                          <span aria-hidden="true">⚠ </span>Needs help{s.help.message ? `: ${s.help.message}` : ""}
                        </strong>
                      ) : (
                        "—"
                      )}
                    </td>
                    <td data-label="Actions">
                      {s && (
                        <div className="dashboard-actions">
                          {running && (
                            <Link href={`/sessions/${s.sessionId}`}>
                              Watch<span className="visually-hidden"> {row.learnerName}&apos;s</span> terminal
                            </Link>
                          )}
                          {s.help && (
                            <button className="tab" onClick={() => clearHelp.mutate({ sessionId: s.sessionId })}>
                              Clear help<span className="visually-hidden"> for {row.learnerName}</span>
                            </button>
                          )}
                          {running && (
                            <button className="tab" onClick={() => extend.mutate({ sessionId: s.sessionId })}>
                              Extend<span className="visually-hidden"> {row.learnerName}&apos;s time</span>
                            </button>
                          )}
                          {isIn(s.status, LIVE) && (
                            <button className="tab" onClick={() => ask("reset", row)}>
                              Reset<span className="visually-hidden"> {row.learnerName}&apos;s lab</span>
                            </button>
                          )}
                          {isIn(s.status, STOPPABLE) && (
                            <button className="danger" onClick={() => ask("end", row)}>
                              End<span className="visually-hidden"> {row.learnerName}&apos;s session</span>
                            </button>
                          )}
                        </div>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <p role="status" aria-live="polite">
        {actionDone}
      </p>
      {actionError && (
        <p role="alert" className="error">
          {actionError}
        </p>
      )}
      <ConfirmDialog
        state={confirm}
        title={
          pending?.kind === "reset"
            ? `Reset ${pending.row.learnerName}'s lab?`
            : `End ${pending?.row.learnerName ?? ""}'s session?`
        }
        body={
          pending?.kind === "reset"
            ? "Their containers are removed and a fresh session of the same lab starts. Their submissions are kept."
            : "Their containers are removed and the session ends. Their submissions are kept."
        }
        confirmText={pending?.kind === "reset" ? "Reset lab" : "End session"}
        workingText={pending?.kind === "reset" ? "Resetting…" : "Ending…"}
        onConfirm={confirmed}
        onCancel={() => dispatch({ type: "cancel" })}
      />
      <MessageForm classId={classId} learners={learners} />
      <ClassLinks classId={classId} />
    </section>
  );
}
