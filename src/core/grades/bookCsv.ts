import { toCsv } from "./csv";
import type { ClassBook } from "./classBook";

export const GRADEBOOK_CSV_HEADER = [
  "class",
  "learner",
  "email",
  "lab",
  "best score",
  "max score",
  "attempts",
  "late",
  "steps revealed",
  "last submitted",
] as const;

/** The gradebook as CSV: one row per learner per assigned lab (empty scores before a submission). */
export function gradebookCsv(book: ClassBook): string {
  const rows = book.learners.flatMap((learner) =>
    book.assignments.map((a, i) => {
      const grade = learner.grades[i]!;
      return [
        book.className,
        learner.name,
        learner.email ?? "",
        a.labSlug,
        grade.best?.score ?? "",
        grade.best?.maxScore ?? "",
        grade.attempts,
        grade.late ? "yes" : "no",
        grade.best ? grade.best.revealedSteps.length : "",
        grade.lastSubmittedAt?.toISOString() ?? "",
      ];
    }),
  );
  return toCsv([[...GRADEBOOK_CSV_HEADER], ...rows]);
}

/** A file name for the download, from the class's name (letters, digits and dashes only). */
export function gradebookFileName(className: string): string {
  const stem = className
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return `${stem || "class"}-gradebook.csv`;
}
