"use client";

// The class's live dashboard (for its instructor): a row per learner and assigned lab.
export function ClassDashboard({ classId }: { classId: string }) {
  return (
    <section aria-labelledby={`dashboard-${classId}`}>
      <h2 id={`dashboard-${classId}`}>Live dashboard</h2>
      <p role="status">Loading the class's sessions…</p>
    </section>
  );
}
