"use client";

// The class bar of a learner's lab page: shown only for a session started for a class.
import type { SessionView } from "~/core/sessions/sessionView";

export function ClassroomBar({ session }: { session: SessionView }) {
  if (!session.classroom) return null;
  return (
    <section aria-label="Class" className="classroom-bar">
      <p>Class: {session.classroom.className}</p>
    </section>
  );
}
