"use client";

import type { LearnerAssignmentView } from "~/core/classes/assignmentView";
import { AssignmentAction } from "./AssignmentAction";
import { GradeLine } from "./GradeLine";
import { dueLine } from "./when";

/** A learner's assigned labs: due date, time limit, their grade, and Start/Open. */
export function LearnerAssignments({ assignments, empty }: { assignments: LearnerAssignmentView[]; empty: string }) {
  if (assignments.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="assignment-list">
      {assignments.map((a) => (
        <li key={a.id}>
          <span className="assignment-title">{a.labTitle}</span>
          <span className="muted">
            {" "}
            · {dueLine(a.dueAt)}
            {a.timeLimitMinutes ? ` · ${a.timeLimitMinutes} minutes` : ""}
          </span>
          <GradeLine grade={a.grade} />
          <AssignmentAction assignmentId={a.id} labTitle={a.labTitle} runningSessionId={a.runningSessionId} />
        </li>
      ))}
    </ul>
  );
}
