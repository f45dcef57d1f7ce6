"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "~/trpc/react";
import { GradeLine } from "../classes/GradeLine";
import { formatWhen } from "../classes/when";

/**
 * "Your results": my grades (grades.mine), one row per lab or assignment, newest first: the lab,
 * its class, the latest score, the best with attempts, when, and a link to the latest attempt's
 * session page (its steps and results, read-only once it ended).
 */
export function MyResults() {
  const trpc = useTRPC();
  // Read afresh each time the home opens (a score just submitted must show).
  const grades = useQuery({ ...trpc.grades.mine.queryOptions(), staleTime: 0, refetchOnMount: "always" });
  return (
    <section aria-labelledby="my-results-title">
      <h2 id="my-results-title">Your results</h2>
      {grades.isPending && <p role="status">Loading your results…</p>}
      {grades.isError && (
        <p role="alert" className="error">
          Could not load your results: {grades.error.message}
        </p>
      )}
      {grades.data?.length === 0 && <p className="tagline">No submissions yet: press Submit in a lab to get a score.</p>}
      {grades.data && grades.data.length > 0 && (
        <ul className="home-list" data-testid="my-results">
          {grades.data.map((row) => {
            const latest = row.submissions[0];
            const sessionId = latest?.sessionId;
            return (
              <li key={`${row.classId ?? "alone"}:${row.labSlug}`} data-testid={`result-${row.labSlug}`}>
                <span className="home-item-title">
                  {row.labTitle}
                  {row.className && <span className="home-item-meta"> · {row.className}</span>}
                </span>
                {latest && (
                  <strong data-testid="result-score">
                    {latest.score} / {latest.maxScore} points
                  </strong>
                )}
                <span className="home-item-meta">
                  <GradeLine grade={row} />
                  {latest && (
                    <>
                      {" · "}
                      <time dateTime={latest.submittedAt.toISOString()}>{formatWhen(latest.submittedAt)}</time>
                    </>
                  )}
                </span>
                {sessionId && (
                  <Link href={`/sessions/${sessionId}`} aria-label={`See the lab: ${row.labTitle}, your latest attempt`}>
                    See the lab
                  </Link>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <p>
        <Link href="/grades">All your grades</Link>
      </p>
    </section>
  );
}
