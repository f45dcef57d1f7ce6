"use client";

import type { AssignmentView } from "~/core/classes/assignmentView";
import { fromLocalInput, toLocalInput } from "./when";

/** An assignment's settings as typed in a form (strings, as the inputs hold them). */
export type SettingsDraft = { due: string; limit: string; extendAllowed: boolean; maxExtension: string };

export const NEW_SETTINGS: SettingsDraft = { due: "", limit: "", extendAllowed: false, maxExtension: "30" };

export const draftOf = (a: AssignmentView): SettingsDraft => ({
  due: toLocalInput(a.dueAt),
  limit: a.timeLimitMinutes ? String(a.timeLimitMinutes) : "",
  extendAllowed: a.extendAllowed,
  maxExtension: String(a.maxExtensionMinutes),
});

/** The procedure's input from a draft (an empty due date or time limit is none). */
export const settingsOf = (draft: SettingsDraft) => ({
  dueAt: fromLocalInput(draft.due),
  timeLimitMinutes: draft.limit ? Number(draft.limit) : null,
  extendAllowed: draft.extendAllowed,
  maxExtensionMinutes: Number(draft.maxExtension),
});

/** Due date, time limit, whether learners may extend, and by how much at most. */
export function AssignmentFields({
  id,
  draft,
  onChange,
}: {
  id: string;
  draft: SettingsDraft;
  onChange: (draft: SettingsDraft) => void;
}) {
  const set = (change: Partial<SettingsDraft>) => onChange({ ...draft, ...change });
  return (
    <>
      <div>
        <label htmlFor={`${id}-due`}>Due (optional)</label>
        <input id={`${id}-due`} type="datetime-local" value={draft.due} onChange={(e) => set({ due: e.target.value })} />
      </div>
      <div>
        <label htmlFor={`${id}-limit`}>Time limit in minutes (optional, 5–480)</label>
        <input
          id={`${id}-limit`}
          type="number"
          min={5}
          max={480}
          value={draft.limit}
          onChange={(e) => set({ limit: e.target.value })}
        />
      </div>
      <div className="check">
        <input
          id={`${id}-extend`}
          type="checkbox"
          checked={draft.extendAllowed}
          onChange={(e) => set({ extendAllowed: e.target.checked })}
        />{" "}
        <label htmlFor={`${id}-extend`}>Learners may extend their time</label>
      </div>
      <div>
        <label htmlFor={`${id}-max`}>Most minutes extensions may add (0–240)</label>
        <input
          id={`${id}-max`}
          type="number"
          min={0}
          max={240}
          value={draft.maxExtension}
          onChange={(e) => set({ maxExtension: e.target.value })}
          required
        />
      </div>
    </>
  );
}
