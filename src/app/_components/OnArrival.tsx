"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { RUNNING_LABS_ID, runsTooMany } from "./home/StartError";

/**
 * Runs an action once when the page opens (a launch or invite link), then goes where it says;
 * on failure shows what went wrong. Runs once even when React runs effects twice in development.
 */
export function OnArrival({
  run,
  pendingText,
  errorTitle,
}: {
  run: () => Promise<string>;
  pendingText: string;
  errorTitle: string;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);
  const action = useRef(run);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    action.current().then(
      (path) => router.replace(path),
      (e: Error) => setError(e.message),
    );
  }, [router]);

  if (error) {
    return (
      <div role="alert">
        <h1>{errorTitle}</h1>
        <p className="error">{error}</p>
        {runsTooMany(error) ? (
          <Link href={`/#${RUNNING_LABS_ID}`}>See your running labs</Link>
        ) : (
          <Link href="/">See all labs</Link>
        )}
      </div>
    );
  }
  return (
    <div className="status">
      <span className="spinner" aria-hidden />
      {pendingText}
    </div>
  );
}
