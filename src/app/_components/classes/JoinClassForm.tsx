"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState } from "react";
import { useTRPC } from "~/trpc/react";

/** A join-code form: the learner types the code their instructor gave them. */
export function JoinClassForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const inputId = useId();
  const [code, setCode] = useState("");
  const join = useMutation(
    trpc.classes.join.mutationOptions({
      onSuccess: () => {
        setCode("");
        void queryClient.invalidateQueries({ queryKey: trpc.classes.list.queryKey() });
      },
    }),
  );
  return (
    <form
      className="join-class"
      onSubmit={(e) => {
        e.preventDefault();
        if (!join.isPending) join.mutate({ code });
      }}
    >
      <label htmlFor={inputId}>Join a class with its code</label>
      <div className="inline-form">
        <input
          id={inputId}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          placeholder="ABCDE-FGHJK"
          autoComplete="off"
          spellCheck={false}
          required
          maxLength={40}
          aria-invalid={join.isError}
          aria-describedby={`${inputId}-result`}
        />
        <button type="submit" aria-disabled={join.isPending}>
          {join.isPending ? "Joining…" : "Join"}
        </button>
      </div>
      <div id={`${inputId}-result`}>
        {join.isError && (
          <p role="alert" className="error">
            {join.error.message}
          </p>
        )}
        <p role="status" aria-live="polite">
          {join.isSuccess && (
            <>
              You joined <Link href={`/classes/${join.data.classId}`}>{join.data.name}</Link>.
            </>
          )}
        </p>
      </div>
    </form>
  );
}
