"use client";

import Link from "next/link";

/** The start's refusal when the learner already runs as many labs as one may (startSession's message). */
export const runsTooMany = (message: string) => message.includes("Stop one to start another");

/** The id of the home's running labs (the limit's message leads there). */
export const RUNNING_LABS_ID = "running-labs";

/** Why a lab did not start, and where to act on it: at the limit, a link to the running labs (to stop one). */
export function StartError({ message, prefix = "" }: { message: string; prefix?: string }) {
  return (
    <p role="alert" className="error">
      {prefix}
      {message}{" "}
      {runsTooMany(message) && (
        <Link href={`/#${RUNNING_LABS_ID}`} data-testid="see-running-labs">
          See your running labs
        </Link>
      )}
    </p>
  );
}
