"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState } from "react";
import { useTRPC } from "~/trpc/react";
import { Outcome } from "./Outcome";

/** An instructor creates a class: its name, and how many days its first join code works. */
export function CreateClassForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [name, setName] = useState("");
  const [days, setDays] = useState("14");
  const create = useMutation(
    trpc.classes.create.mutationOptions({
      onSuccess: () => {
        setName("");
        void queryClient.invalidateQueries({ queryKey: trpc.classes.list.queryKey() });
      },
    }),
  );
  return (
    <form
      aria-labelledby={`${id}-heading`}
      onSubmit={(e) => {
        e.preventDefault();
        if (!create.isPending) create.mutate({ name, codeDays: Number(days) });
      }}
    >
      <h3 id={`${id}-heading`}>Create a class</h3>
      <div className="form-grid">
        <div>
          <label htmlFor={`${id}-name`}>Class name</label>
          <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
        </div>
        <div>
          <label htmlFor={`${id}-days`}>Join code works for (days, 1–90)</label>
          <input
            id={`${id}-days`}
            type="number"
            min={1}
            max={90}
            value={days}
            onChange={(e) => setDays(e.target.value)}
            required
          />
        </div>
        <div>
          <button type="submit" aria-disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create class"}
          </button>
        </div>
      </div>
      <Outcome
        error={create.error}
        success={
          create.isSuccess && (
            <>
              Created <Link href={`/classes/${create.data.id}`}>{create.data.name}</Link>: open it to see its join code and assign
              labs.
            </>
          )
        }
      />
    </form>
  );
}
