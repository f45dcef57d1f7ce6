"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTRPC } from "~/trpc/react";
import { Outcome } from "./Outcome";
import { AssignmentFields, NEW_SETTINGS, settingsOf } from "./AssignmentFields";

/** Assign a lab: which, due when (optional), a time limit (optional), whether learners may extend and by how much. */
export function AssignForm({ classId, assigned }: { classId: string; assigned: string[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const labs = useQuery(trpc.lab.list.queryOptions());
  const [labSlug, setLabSlug] = useState("");
  const [draft, setDraft] = useState(NEW_SETTINGS);
  const assign = useMutation(
    trpc.classes.assign.mutationOptions({
      onSuccess: () => {
        setLabSlug("");
        void queryClient.invalidateQueries({ queryKey: trpc.classes.get.queryKey({ classId }) });
      },
    }),
  );
  const open = labs.data?.filter((lab) => !assigned.includes(lab.slug)) ?? [];
  return (
    <form
      aria-labelledby={`${id}-heading`}
      className="card"
      onSubmit={(e) => {
        e.preventDefault();
        if (assign.isPending) return;
        assign.mutate({
          classId,
          labSlug,
          ...settingsOf(draft),
        });
      }}
    >
      <h2 id={`${id}-heading`}>Assign a lab</h2>
      <div className="form-grid">
        <div>
          <label htmlFor={`${id}-lab`}>Lab</label>
          <select id={`${id}-lab`} value={labSlug} onChange={(e) => setLabSlug(e.target.value)} required>
            <option value="">{labs.isPending ? "Loading labs…" : "Choose a lab"}</option>
            {open.map((lab) => (
              <option key={lab.slug} value={lab.slug}>
                {lab.title}
              </option>
            ))}
          </select>
        </div>
        <AssignmentFields id={id} draft={draft} onChange={setDraft} />
        <div>
          <button type="submit" aria-disabled={assign.isPending}>
            {assign.isPending ? "Assigning…" : "Assign"}
          </button>
        </div>
      </div>
      {labs.isError && (
        <p role="alert" className="error">
          Could not load the labs: {labs.error.message}
        </p>
      )}
      <Outcome error={assign.error} success={assign.isSuccess && `Assigned ${assign.data.labTitle}.`} />
    </form>
  );
}
