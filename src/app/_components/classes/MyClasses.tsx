"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "~/trpc/react";
import { Loading } from "./QueryStates";
import { JoinClassForm } from "./JoinClassForm";
import { LearnerAssignments } from "./LearnerAssignments";
import "./classes.css";

/** The home page's classes: those I learn in with their assignments (Start/Open), those I teach, and a join-code form. */
export function MyClasses({ showTeaching = true }: { showTeaching?: boolean }) {
  const trpc = useTRPC();
  const classes = useQuery(trpc.classes.list.queryOptions());
  return (
    <section aria-labelledby="my-classes-heading" className="my-classes">
      <h2 id="my-classes-heading">{showTeaching ? "My classes" : "Classes you learn in"}</h2>
      {classes.isPending && <Loading what="your classes" />}
      {classes.isError && (
        <p role="alert" className="error">
          Could not load your classes: {classes.error.message}
        </p>
      )}
      {classes.data && classes.data.learning.length === 0 && classes.data.teaching.length === 0 && (
        <p className="muted">You are in no class yet. If your instructor gave you a join code, type it below.</p>
      )}
      {classes.data?.learning.map((klass) => (
        <article key={klass.id} className="card class-card" aria-labelledby={`class-${klass.id}`}>
          <h3 id={`class-${klass.id}`}>
            <Link href={`/classes/${klass.id}`}>{klass.name}</Link>
          </h3>
          <p>Taught by {klass.instructorName}</p>
          <LearnerAssignments assignments={klass.assignments} empty="No labs assigned yet." />
        </article>
      ))}
      {showTeaching && classes.data && classes.data.teaching.length > 0 && (
        <p>
          You teach{" "}
          {classes.data.teaching.map((klass, i) => (
            <span key={klass.id}>
              {i > 0 ? ", " : ""}
              <Link href={`/classes/${klass.id}`}>{klass.name}</Link>
            </span>
          ))}
          . <Link href="/classes">All classes</Link>
        </p>
      )}
      <JoinClassForm />
    </section>
  );
}
