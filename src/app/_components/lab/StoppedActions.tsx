"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { OWNER } from "~/protocol/roles";
import { useTRPC } from "~/trpc/react";
import { StartError } from "../home/StartError";
import type { LiveSession } from "../session/useSessionLive";

/**
 * Under an ended session's read-only steps: "Start again" for its owner (a new session of the same
 * lab) and "Back to home" for everyone.
 */
export function StoppedActions({ session }: { session: LiveSession }) {
  const trpc = useTRPC();
  const router = useRouter();
  const open = { onSuccess: (started: { id: string }) => router.push(`/sessions/${started.id}`) };
  const startLab = useMutation(trpc.session.start.mutationOptions(open));
  const startAssignment = useMutation(trpc.classes.startAssignment.mutationOptions(open));
  // A class session starts its assignment again (the class's time limit and gradebook); a lab started alone, the same lab.
  const assignmentId = session.classroom?.assignmentId;
  const start = assignmentId ? startAssignment : startLab;
  const again = () => {
    if (start.isPending) return;
    if (assignmentId) startAssignment.mutate({ assignmentId });
    else startLab.mutate({ labSlug: session.labSlug });
  };
  return (
    <div className="stopped-actions">
      <p>
        {session.access === OWNER && (
          <>
            <button type="button" aria-disabled={start.isPending} onClick={again}>
              {start.isPending ? "Starting…" : "Start again"}
            </button>{" "}
          </>
        )}
        <Link href="/">Back to home</Link>
      </p>
      {start.isError && <StartError prefix="Could not start it again: " message={start.error.message} />}
    </div>
  );
}
