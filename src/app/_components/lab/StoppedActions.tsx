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
  const start = useMutation(
    trpc.session.start.mutationOptions({ onSuccess: (started) => router.push(`/sessions/${started.id}`) }),
  );
  return (
    <div className="stopped-actions">
      <p>
        {session.access === OWNER && (
          <>
            <button
              type="button"
              aria-disabled={start.isPending}
              onClick={() => !start.isPending && start.mutate({ labSlug: session.labSlug })}
            >
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
