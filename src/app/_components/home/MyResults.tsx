"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "~/trpc/react";

const when = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** "Your results": my submissions, newest first: lab, score, attempt, when, and a link to the session's page. */
export function MyResults() {
  const trpc = useTRPC();
  const submissions = useQuery(trpc.grading.mySubmissions.queryOptions());
  return (
    <section aria-labelledby="my-results-title">
      <h2 id="my-results-title">Your results</h2>
      {submissions.isPending && <p role="status">Loading your results…</p>}
      {submissions.isError && (
        <p role="alert" className="error">
          Could not load your results: {submissions.error.message}
        </p>
      )}
      {submissions.data?.length === 0 && <p className="tagline">No submissions yet: press Submit in a lab to get a score.</p>}
      {submissions.data && submissions.data.length > 0 && (
        <ul className="home-list" data-testid="my-results">
          {submissions.data.map((s) => (
            <li key={s.id} data-testid={`result-${s.sessionId}`}>
              <span className="home-item-title">{s.labTitle}</span>
              <strong data-testid="result-score">
                {s.score} / {s.maxScore} points
              </strong>
              <span className="home-item-meta">
                attempt {s.attempt} · <time dateTime={s.createdAt.toISOString()}>{when.format(s.createdAt)}</time>
              </span>
              <Link href={`/sessions/${s.sessionId}`} aria-label={`See ${s.labTitle}, attempt ${s.attempt}`}>
                See the lab
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
