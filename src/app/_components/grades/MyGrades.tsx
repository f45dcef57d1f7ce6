"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { formatWhen } from "~/app/_components/classes/when";
import { useTRPC } from "~/trpc/react";
import { Loading } from "~/app/_components/classes/QueryStates";
import { ScrollTable } from "./ScrollTable";
import { SubmissionDetail } from "./SubmissionDetail";
import "~/app/_components/classes/classes.css";

/** /grades: my labs, in classes and on their own: best score, attempts, late, last submitted; each submission's checks on demand. */
export function MyGrades() {
  const trpc = useTRPC();
  const grades = useQuery(trpc.grades.mine.queryOptions());
  const [open, setOpen] = useState<string | null>(null);
  return (
    <>
      <h1>My grades</h1>
      {grades.isPending && <Loading what="your grades" />}
      {grades.isError && (
        <p role="alert" className="error">
          Could not load your grades: {grades.error.message}
        </p>
      )}
      {grades.data?.length === 0 && (
        <p className="muted">
          Nothing submitted yet. Start a lab from <Link href="/">the home page</Link> and press Submit when you are done.
        </p>
      )}
      {grades.data && grades.data.length > 0 && (
        <ScrollTable
          label="My grades table"
          caption="Your best score in each lab you submitted, per class (or on its own), with every attempt."
        >
          <thead>
            <tr>
              <th scope="col">Lab</th>
              <th scope="col">Class</th>
              <th scope="col">Best</th>
              <th scope="col">Attempts</th>
              <th scope="col">Late</th>
              <th scope="col">Last submitted</th>
            </tr>
          </thead>
          <tbody>
            {grades.data.map((row) => (
              <tr key={`${row.classId ?? "alone"}:${row.labSlug}`}>
                <th scope="row">{row.labTitle}</th>
                <td>{row.className ?? <span className="muted">on its own</span>}</td>
                <td>{row.best ? `${row.best.score}/${row.best.maxScore}` : ""}</td>
                <td>
                  {row.submissions.map((s, i) => (
                    <button
                      key={s.id}
                      type="button"
                      className="link attempt"
                      aria-expanded={open === s.id}
                      onClick={() => setOpen(open === s.id ? null : s.id)}
                      aria-label={`Checks of attempt ${row.submissions.length - i} of ${row.labTitle}: ${s.score}/${s.maxScore}`}
                    >
                      {s.score}/{s.maxScore}
                    </button>
                  ))}
                </td>
                <td>{row.late ? <strong className="late">late</strong> : "no"}</td>
                <td>{formatWhen(row.lastSubmittedAt)}</td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      )}
      {open && <SubmissionDetail submissionId={open} headingLevel={2} />}
    </>
  );
}
