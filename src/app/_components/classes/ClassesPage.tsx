"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "~/trpc/react";
import { CreateClassForm } from "./CreateClassForm";
import { MyClasses } from "./MyClasses";
import "./classes.css";

/** /classes: the classes I teach (with a create form for instructors) and those I learn in. */
export function ClassesPage() {
  const trpc = useTRPC();
  const classes = useQuery(trpc.classes.list.queryOptions());
  return (
    <>
      <h1>Classes</h1>
      {classes.data && (classes.data.canCreate || classes.data.teaching.length > 0) && (
        <section aria-labelledby="teaching-heading">
          <h2 id="teaching-heading">Classes you teach</h2>
          {classes.data.teaching.length === 0 ? (
            <p className="muted">None yet: create one below.</p>
          ) : (
            <ul className="assignment-list">
              {classes.data.teaching.map((klass) => (
                <li key={klass.id}>
                  <Link href={`/classes/${klass.id}`} className="assignment-title">
                    {klass.name}
                  </Link>
                  <span className="muted">
                    {klass.learners} learner{klass.learners === 1 ? "" : "s"} · {klass.assignments.length} lab
                    {klass.assignments.length === 1 ? "" : "s"} assigned
                    {klass.mine ? "" : ` · taught by ${klass.instructorName}`}
                  </span>
                </li>
              ))}
            </ul>
          )}
          {classes.data.canCreate && <CreateClassForm />}
        </section>
      )}
      <MyClasses showTeaching={false} />
    </>
  );
}
