"use client";

// The class bar of a learner's lab page (only for a session started for a class): the
// instructor's messages (banners, read out politely), "Needs help" with an optional message, the
// time left with its 5-minute warning and Extend when allowed, and after a reset the way to the
// fresh session (followed at once).
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useId, useState } from "react";
import type { Banner } from "~/core/classroom/messages";
import type { SessionView } from "~/core/sessions/sessionView";
import { OWNER } from "~/protocol/roles";
import { isRunning } from "~/protocol/sessionStatus";
import { useTRPC } from "~/trpc/react";
import { TimeLeft } from "../lab/TimeLeft";

const HELP_MAX = 280;

export function ClassroomBar({ session, banners = [] }: { session: SessionView; banners?: readonly Banner[] }) {
  const router = useRouter();
  const resetTo = session.resetToId;
  useEffect(() => {
    if (resetTo) router.push(`/sessions/${resetTo}`);
  }, [resetTo, router]);
  if (!session.classroom) return null;
  const running = isRunning(session.status);
  return (
    <>
      {/* The region holds one status at a time (help, or a reset); the time left has its own, beside it. */}
      <section aria-label="Class" className="classroom-bar">
        <p>
          Class: <strong>{session.classroom.className}</strong>
        </p>
        {resetTo && (
          <p role="status" className="notice">
            Your instructor reset this lab. <Link href={`/sessions/${resetTo}`}>Go to your fresh session</Link>
          </p>
        )}
        <Banners banners={banners} />
        {running && session.access === OWNER && <HelpToggle session={session} />}
      </section>
      {running && (
        <div className="classroom-time">
          <TimeLeft expiresAt={session.expiresAt} />
          {session.canExtend && <ExtendButton sessionId={session.id} />}
        </div>
      )}
    </>
  );
}

function Banners({ banners }: { banners: readonly Banner[] }) {
  return (
    <div role="log" aria-live="polite" aria-label="Messages from your instructor" className="classroom-banners">
      {banners.map((b) => (
        <p key={b.id} className="notice">
          <strong>{b.toYou ? "Your instructor, to you:" : "Your instructor, to the class:"}</strong> {b.body}
        </p>
      ))}
    </div>
  );
}

function ExtendButton({ sessionId }: { sessionId: string }) {
  const trpc = useTRPC();
  const extend = useMutation(trpc.classroom.extend.mutationOptions());
  return (
    <>
      <button className="tab" aria-disabled={extend.isPending} onClick={() => !extend.isPending && extend.mutate({ sessionId })}>
        {extend.isPending ? "Extending…" : "Extend by 15 minutes"}
      </button>
      <span role="status" aria-live="polite">
        {extend.isSuccess ? "Extended by 15 minutes." : ""}
      </span>
      {extend.isError && (
        <span role="alert" className="error">
          {extend.error.message}
        </span>
      )}
    </>
  );
}

function HelpToggle({ session }: { session: SessionView }) {
  const trpc = useTRPC();
  const id = useId();
  const [message, setMessage] = useState("");
  const raise = useMutation(trpc.classroom.raiseHelp.mutationOptions());
  const clear = useMutation(trpc.classroom.clearHelp.mutationOptions());
  const failed = raise.error ?? clear.error;
  const working = raise.isPending || clear.isPending;
  return (
    <div className="classroom-help">
      {session.help ? (
        <>
          <p role="status">
            <span aria-hidden="true">⚠ </span>Your instructor can see that you asked for help
            {session.help.message ? `: “${session.help.message}”` : "."}
          </p>
          <button className="tab" aria-disabled={working} onClick={() => !working && clear.mutate({ sessionId: session.id })}>
            I no longer need help
          </button>
        </>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!working) raise.mutate({ sessionId: session.id, ...(message.trim() ? { message } : {}) });
          }}
        >
          <label htmlFor={`${id}-help`}>What do you need help with? (optional, up to {HELP_MAX} characters)</label>
          <input id={`${id}-help`} value={message} maxLength={HELP_MAX} onChange={(e) => setMessage(e.target.value)} />
          <button type="submit" aria-disabled={working}>
            {raise.isPending ? "Asking…" : "Ask for help"}
          </button>
        </form>
      )}
      {failed && (
        <p role="alert" className="error">
          {failed.message}
        </p>
      )}
    </div>
  );
}
