"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "~/trpc/react";
import { AssignmentAction } from "./AssignmentAction";
import { GradeLine } from "./GradeLine";
import { JoinClassForm } from "./JoinClassForm";
import { dueLine } from "./when";
import "./classes.css";

/** The home page's classes: those I learn in with their assignments (Start/Open), those I teach, and a join-code form. */
export function MyClasses() {
  const trpc = useTRPC();
  const classes = useQuery(trpc.classes.list.queryOptions());
  return (
    <section aria-labelledby="my-classes-heading" className="my-classes">
      <h2 id="my-classes-heading">My classes</h2>
      {classes.isPending && (
        <p role="status" className="status">
          <span className="spinner" aria-hidden /> Loading your classes…
        </p>
      )}
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
          {klass.assignments.length === 0 ? (
            <p>No labs assigned yet.</p>
          ) : (
            <ul className="assignment-list">
              {klass.assignments.map((a) => (
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
          )}
        </article>
      ))}
      {classes.data && classes.data.teaching.length > 0 && (
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
