"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { Loading } from "~/app/_components/classes/QueryStates";
import { formatWhen } from "~/app/_components/classes/when";

/** One submission's checks, each with its result and message (loaded when asked for). */
export function SubmissionDetail({ submissionId, headingLevel = 3 }: { submissionId: string; headingLevel?: 2 | 3 }) {
  const trpc = useTRPC();
  const detail = useQuery(trpc.grades.submission.queryOptions({ submissionId }));
  const Heading = headingLevel === 2 ? "h2" : "h3";
  if (detail.isPending) return <Loading what="the submission" />;
  if (detail.isError)
    return (
      <p role="alert" className="error">
        Could not load this submission: {detail.error.message}
      </p>
    );
  const s = detail.data;
  return (
    <section className="card submission-detail" aria-labelledby={`submission-${s.id}`} tabIndex={-1}>
      <Heading id={`submission-${s.id}`}>
        {s.learnerName}: {s.labTitle}, attempt {s.attempt}
      </Heading>
      <p>
        {s.score}/{s.maxScore} points · submitted {formatWhen(s.submittedAt)}
        {s.late ? <strong className="late"> · late</strong> : null}
        {s.className ? ` · ${s.className}` : ""}
      </p>
      {s.revealedSteps.length > 0 && <p>Solutions seen before submitting: {s.revealedSteps.join(", ")}</p>}
      <ul className="check-list">
        {s.checks.map((c) => (
          <li key={c.checkId}>
            <span className={c.passed ? "passed" : "failed"}>{c.passed ? "Passed" : "Failed"}</span> · {c.stepTitle}:{" "}
            {c.description} ({c.earned}/{c.points})<br />
            <span className="muted">{c.message}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
