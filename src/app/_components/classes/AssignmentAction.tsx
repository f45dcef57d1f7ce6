"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTRPC } from "~/trpc/react";

/** Open the learner's running session of an assignment, or Start one (then go to it). */
export function AssignmentAction({
  assignmentId,
  labTitle,
  runningSessionId,
}: {
  assignmentId: string;
  labTitle: string;
  runningSessionId: string | null;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const start = useMutation(
    trpc.classes.startAssignment.mutationOptions({
      onSuccess: (session) => {
        void queryClient.invalidateQueries({ queryKey: trpc.classes.pathKey() });
        router.push(`/sessions/${session.id}`);
      },
    }),
  );
  if (runningSessionId)
    return (
      <Link className="button-link" href={`/sessions/${runningSessionId}`} aria-label={`Open ${labTitle}`}>
        Open
      </Link>
    );
  return (
    <span className="assignment-action">
      <button
        type="button"
        aria-disabled={start.isPending}
        onClick={() => !start.isPending && start.mutate({ assignmentId })}
        aria-label={`Start ${labTitle}`}
      >
        {start.isPending ? "Starting…" : "Start"}
      </button>
      {start.isError && (
        <span role="alert" className="error">
          {" "}
          {start.error.message}
        </span>
      )}
    </span>
  );
}
