"use client";

import { MyClasses } from "../classes/MyClasses";
import { MyResults } from "./MyResults";
import { RunningLabs } from "./RunningLabs";
import { useMySessions } from "./useMySessions";

/** The learner's home above the labs: the labs they run, their classes, and their results. */
export function Home() {
  const mine = useMySessions();
  return (
    <>
      <RunningLabs mine={mine} />
      <MyClasses />
      <MyResults />
    </>
  );
}
