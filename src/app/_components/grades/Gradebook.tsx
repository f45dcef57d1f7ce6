"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Loading, PageError } from "~/app/_components/classes/QueryStates";
import { formatWhen } from "~/app/_components/classes/when";
import { useTRPC } from "~/trpc/react";
import { ScrollTable } from "./ScrollTable";
import { SubmissionDetail } from "./SubmissionDetail";
import "~/app/_components/classes/classes.css";

/** /classes/<id>/gradebook: learners × assigned labs (best, attempts, late, steps revealed), a submission's checks on demand, the CSV. */
export function Gradebook({ classId }: { classId: string }) {
  const trpc = useTRPC();
  const book = useQuery(trpc.grades.classBook.queryOptions({ classId }, { retry: false }));
  const [open, setOpen] = useState<string | null>(null);
  if (book.isPending) return <Loading what="the gradebook" />;
  if (book.isError) return <PageError title="Could not open this gradebook" message={book.error.message} />;
  const { className, assignments, learners } = book.data;
  return (
    <>
      <h1>Gradebook: {className}</h1>
      <p>
        <Link href={`/classes/${classId}`}>Back to the class</Link> ·{" "}
        <a href={`/classes/${classId}/gradebook.csv`} download>
          Download CSV
        </a>
      </p>
      {learners.length === 0 || assignments.length === 0 ? (
        <p className="muted">
          {assignments.length === 0 ? "No lab is assigned yet." : "No learner has joined yet."} The gradebook fills in as learners
          submit.
        </p>
      ) : (
        <ScrollTable
          label="Gradebook table"
          caption="Best score of each learner in each assigned lab, with attempts, late (the best came after the due date) and the solutions they saw before it."
        >
          <thead>
            <tr>
              <th scope="col">Learner</th>
              {assignments.map((a) => (
                <th scope="col" key={a.id}>
                  {a.labTitle}
                  {a.dueAt ? <span className="muted"> (due {formatWhen(a.dueAt)})</span> : null}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {learners.map((learner) => (
              <tr key={learner.userId}>
                <th scope="row">{learner.name}</th>
                {learner.grades.map((grade, i) => (
                  <td key={grade.assignmentId}>
                    {grade.best ? (
                      <>
                        {grade.best.score}/{grade.best.maxScore} · {grade.attempts} attempt{grade.attempts === 1 ? "" : "s"}
                        {grade.late ? <strong className="late"> · late</strong> : null}
                        {grade.best.revealedSteps.length > 0 ? ` · ${grade.best.revealedSteps.length} solution(s) seen` : ""}
                        <br />
                        <button
                          type="button"
                          className="link"
                          aria-expanded={open === grade.best.submissionId}
                          onClick={() => setOpen(open === grade.best!.submissionId ? null : grade.best!.submissionId)}
                          aria-label={`Checks of ${learner.name}'s best submission of ${assignments[i]!.labTitle}`}
                        >
                          {open === grade.best.submissionId ? "Hide checks" : "Checks"}
                        </button>
                      </>
                    ) : (
                      <span className="muted">not submitted</span>
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      )}
      {open && <SubmissionDetail submissionId={open} headingLevel={2} />}
    </>
  );
}
