import Link from "next/link";
import type { ClassPage } from "~/core/classes/getClass";
import { LearnerAssignments } from "./LearnerAssignments";

/** A learner's view of a class: its assigned labs with due dates, their grade, and Start/Open. */
export function LearnerClass({ view }: { view: Extract<ClassPage, { access: "learner" }> }) {
  return (
    <>
      <h1>{view.name}</h1>
      <p className="muted">
        Taught by {view.instructorName} · <Link href="/grades">My grades</Link>
      </p>
      <section aria-labelledby="assigned-heading">
        <h2 id="assigned-heading">Assigned labs</h2>
        <LearnerAssignments assignments={view.assignments} empty="Nothing assigned yet." />
      </section>
    </>
  );
}
