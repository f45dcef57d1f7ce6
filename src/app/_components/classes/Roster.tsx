"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId } from "react";
import { useTRPC } from "~/trpc/react";
import { Outcome } from "./Outcome";
import { formatWhen } from "./when";

type Learner = { userId: string; name: string; guest: boolean; joinedAt: Date };

/** The class's learners by display name, each with Remove. */
export function Roster({ classId, roster }: { classId: string; roster: Learner[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const remove = useMutation(
    trpc.classes.removeLearner.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.classes.get.queryKey({ classId }) }),
    }),
  );
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Learners ({roster.length})</h2>
      {roster.length === 0 ? (
        <p className="muted">Nobody has joined yet: give your learners the join code or link.</p>
      ) : (
        <ul className="assignment-list">
          {roster.map((learner) => (
            <li key={learner.userId}>
              <span className="assignment-title">{learner.name}</span>
              <span className="muted">
                {learner.guest ? "guest" : "account"} · joined {formatWhen(learner.joinedAt)}
              </span>
              <button
                type="button"
                className="secondary assignment-action"
                aria-disabled={remove.isPending}
                onClick={() => !remove.isPending && remove.mutate({ classId, userId: learner.userId })}
                aria-label={`Remove ${learner.name} from the class`}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <Outcome error={remove.error} success={remove.isSuccess && "Learner removed."} />
    </section>
  );
}
