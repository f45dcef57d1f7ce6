"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTRPC } from "~/trpc/react";
import { Outcome } from "./Outcome";
import { fromLocalInput } from "./when";

/** Assign a lab: which, due when (optional), a time limit (optional), whether learners may extend and by how much. */
export function AssignForm({ classId, assigned }: { classId: string; assigned: string[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const labs = useQuery(trpc.lab.list.queryOptions());
  const [labSlug, setLabSlug] = useState("");
  const [due, setDue] = useState("");
  const [limit, setLimit] = useState("");
  const [extendAllowed, setExtendAllowed] = useState(false);
  const [maxExtension, setMaxExtension] = useState("30");
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
          dueAt: fromLocalInput(due),
          timeLimitMinutes: limit ? Number(limit) : null,
          extendAllowed,
          maxExtensionMinutes: Number(maxExtension),
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
        <div>
          <label htmlFor={`${id}-due`}>Due (optional)</label>
          <input id={`${id}-due`} type="datetime-local" value={due} onChange={(e) => setDue(e.target.value)} />
        </div>
        <div>
          <label htmlFor={`${id}-limit`}>Time limit in minutes (optional, 5–480)</label>
          <input id={`${id}-limit`} type="number" min={5} max={480} value={limit} onChange={(e) => setLimit(e.target.value)} />
        </div>
        <div className="check">
          <input
            id={`${id}-extend`}
            type="checkbox"
            checked={extendAllowed}
            onChange={(e) => setExtendAllowed(e.target.checked)}
          />{" "}
          <label htmlFor={`${id}-extend`}>Learners may extend their time</label>
        </div>
        <div>
          <label htmlFor={`${id}-max`}>Most minutes extensions may add (0–240)</label>
          <input
            id={`${id}-max`}
            type="number"
            min={0}
            max={240}
            value={maxExtension}
            onChange={(e) => setMaxExtension(e.target.value)}
            required
          />
        </div>
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
