"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import type { AssignmentView } from "~/core/classes/assignmentView";
import { useTRPC } from "~/trpc/react";
import { EditAssignment } from "./EditAssignment";
import { Outcome } from "./Outcome";
import { dueLine } from "./when";

/** The instructor's list of assigned labs, each with its settings and Remove (refused once someone has submitted). */
export function AssignmentsTable({ classId, assignments }: { classId: string; assignments: AssignmentView[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [editing, setEditing] = useState<string | null>(null);
  const unassign = useMutation(
    trpc.classes.unassign.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.classes.get.queryKey({ classId }) }),
    }),
  );
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Assigned labs</h2>
      {assignments.length === 0 ? (
        <p className="muted">No lab assigned yet.</p>
      ) : (
        <ul className="assignment-list">
          {assignments.map((a) => (
            <li key={a.id}>
              <span className="assignment-title">{a.labTitle}</span>
              <span className="muted">
                {dueLine(a.dueAt)} · {a.timeLimitMinutes ? `${a.timeLimitMinutes} minutes` : "the platform's session time"} ·{" "}
                {a.extendAllowed ? `learners may extend by up to ${a.maxExtensionMinutes} minutes` : "learners may not extend"}
              </span>
              <button
                type="button"
                className="secondary assignment-action"
                aria-expanded={editing === a.id}
                onClick={() => setEditing(editing === a.id ? null : a.id)}
                aria-label={`Change ${a.labTitle}`}
              >
                Change
              </button>
              <button
                type="button"
                className="secondary"
                aria-disabled={unassign.isPending}
                onClick={() => !unassign.isPending && unassign.mutate({ assignmentId: a.id })}
                aria-label={`Remove ${a.labTitle} from the class`}
              >
                Remove
              </button>
              {editing === a.id && <EditAssignment classId={classId} assignment={a} onDone={() => setEditing(null)} />}
            </li>
          ))}
        </ul>
      )}
      <Outcome error={unassign.error} />
    </section>
  );
}
