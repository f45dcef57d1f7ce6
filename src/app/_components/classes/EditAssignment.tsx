"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import type { AssignmentView } from "~/core/classes/assignmentView";
import { useTRPC } from "~/trpc/react";
import { AssignmentFields, draftOf, settingsOf } from "./AssignmentFields";
import { Outcome } from "./Outcome";

/** Changes an assignment's settings; a due date is sent only when it was changed (an old one stays as it is). */
export function EditAssignment({
  classId,
  assignment,
  onDone,
}: {
  classId: string;
  assignment: AssignmentView;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [initial] = useState(() => draftOf(assignment));
  const [draft, setDraft] = useState(initial);
  const update = useMutation(
    trpc.classes.updateAssignment.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.classes.get.queryKey({ classId }) });
        onDone();
      },
    }),
  );
  return (
    <form
      className="edit-assignment"
      aria-label={`Change ${assignment.labTitle}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (update.isPending) return;
        const { dueAt, ...rest } = settingsOf(draft);
        update.mutate({ assignmentId: assignment.id, ...rest, ...(draft.due !== initial.due ? { dueAt } : {}) });
      }}
    >
      <div className="form-grid">
        <AssignmentFields id={id} draft={draft} onChange={setDraft} />
        <div className="inline-form">
          <button type="submit" aria-disabled={update.isPending}>
            {update.isPending ? "Saving…" : "Save"}
          </button>
          <button type="button" className="secondary" onClick={onDone}>
            Cancel
          </button>
        </div>
      </div>
      <Outcome error={update.error} />
    </form>
  );
}
