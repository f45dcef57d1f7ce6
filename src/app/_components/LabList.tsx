"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "~/trpc/react";
import { StartError } from "./home/StartError";

/** The labs, in the order the server lists them (the seed's: the first observation each one covers), each with what the learner will do. */
export function LabList() {
  const trpc = useTRPC();
  const router = useRouter();
  const labs = useQuery(trpc.lab.list.queryOptions());
  const start = useMutation(
    trpc.session.start.mutationOptions({ onSuccess: (session) => router.push(`/sessions/${session.id}`) }),
  );

  if (labs.isPending) return <p>Loading labs…</p>;
  if (labs.isError) return <p className="error">Could not load labs: {labs.error.message}</p>;
  return (
    <>
      {start.isError && <StartError message={start.error.message} />}
      <div className="cards" data-testid="lab-cards">
        {labs.data.map((lab) => (
          <article key={lab.slug} className="card" aria-label={lab.title}>
            <h3>{lab.title}</h3>
            <p>{lab.summary}</p>
            <p>
              About {lab.estimatedMinutes} minutes{lab.points > 0 ? ` · ${lab.points} points` : " · playground"}
            </p>
            <button
              disabled={start.isPending}
              onClick={() => start.mutate({ labSlug: lab.slug })}
              aria-label={`Start ${lab.title}`}
            >
              {start.isPending && start.variables?.labSlug === lab.slug ? "Starting…" : "Start"}
            </button>
          </article>
        ))}
      </div>
    </>
  );
}
