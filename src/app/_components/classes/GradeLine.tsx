import type { Grade } from "~/core/grades/grade";

/** A learner's grade for one lab, in words: best score, attempts, late. */
export function GradeLine({ grade }: { grade: Grade }) {
  if (!grade.best) return <span className="grade-line muted"> · not submitted</span>;
  return (
    <span className="grade-line">
      {" "}
      · best {grade.best.score}/{grade.best.maxScore} ({grade.attempts} attempt{grade.attempts === 1 ? "" : "s"})
      {grade.late ? <strong className="late"> late</strong> : null}
    </span>
  );
}
