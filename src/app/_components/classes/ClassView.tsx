"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { ClassDashboard } from "~/app/_components/classroom/ClassDashboard";
import { useTRPC } from "~/trpc/react";
import { AssignForm } from "./AssignForm";
import { AssignmentsTable } from "./AssignmentsTable";
import { JoinCodePanel } from "./JoinCodePanel";
import { LearnerClass } from "./LearnerClass";
import { Loading, PageError } from "./QueryStates";
import { Roster } from "./Roster";
import "./classes.css";

/** /classes/<id>: the instructor's page (code, assigning, assignments, live dashboard, learners, gradebook) or a learner's. */
export function ClassView({ classId }: { classId: string }) {
  const trpc = useTRPC();
  const klass = useQuery(trpc.classes.get.queryOptions({ classId }, { retry: false }));
  if (klass.isPending) return <Loading what="the class" />;
  if (klass.isError) return <PageError title="Could not open this class" message={klass.error.message} />;
  const view = klass.data;
  if (view.access === "learner") return <LearnerClass view={view} />;
  return (
    <>
      <h1>{view.name}</h1>
      <p className="muted">
        Taught by {view.instructorName} · <Link href={`/classes/${view.id}/gradebook`}>Gradebook</Link> ·{" "}
        <Link href="/classes">All classes</Link>
      </p>
      <JoinCodePanel
        classId={view.id}
        joinCode={view.joinCode}
        expiresAt={view.joinCodeExpiresAt}
        expired={view.joinCodeExpired}
      />
      <AssignForm classId={view.id} assigned={view.assignments.map((a) => a.labSlug)} />
      <AssignmentsTable classId={view.id} assignments={view.assignments} />
      {/* The dashboard's stream says when the class, its roster or assignments change: read them again then. */}
      <ClassDashboard classId={view.id} onClassChange={() => void klass.refetch()} />
      <Roster classId={view.id} roster={view.roster} />
    </>
  );
}
