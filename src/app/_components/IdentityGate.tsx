"use client";

import { useEffect, useRef, useState } from "react";
import { authClient } from "~/trpc/auth-client";

/** What to tell a visitor whose guest identity could not be issued. */
function explain(error: { status?: number; message?: string }): string {
  if (error.status === 429) return "Too many new guests are arriving just now. Wait a minute, then try again.";
  const detail = error.message ? ` (${error.message})` : "";
  return `The server could not give you a guest identity${detail}. Check that cookies are allowed for this site, then try again.`;
}

/**
 * Renders the page once the browser has a session: a visitor without one is signed in
 * anonymously first (the server issues the identity and its cookie), so nothing calls tRPC
 * without an identity. Shows progress meanwhile and an actionable error if it fails.
 */
export function IdentityGate({ children }: { children: React.ReactNode }) {
  const session = authClient.useSession();
  const [error, setError] = useState<string | null>(null);
  const signingIn = useRef(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (session.isPending || session.data || session.error || signingIn.current) return;
    signingIn.current = true;
    authClient.signIn
      .anonymous()
      .then(
        ({ error: failed }) => failed && setError(explain(failed)),
        (e: Error) => setError(explain(e)),
      )
      .finally(() => (signingIn.current = false)); // success: the session refreshes by itself
  }, [session.isPending, session.data, session.error, attempt]);

  if (session.data) return <>{children}</>;
  const problem = error ?? (session.error ? explain(session.error) : null);
  if (problem) {
    return (
      <div role="alert" data-testid="identity-error">
        <h1>Could not sign you in</h1>
        <p className="error">{problem}</p>
        <button
          type="button"
          onClick={() => {
            setError(null);
            if (session.error) void session.refetch();
            setAttempt((n) => n + 1);
          }}
        >
          Try again
        </button>
      </div>
    );
  }
  return (
    <div className="status" role="status" aria-live="polite" data-testid="identity-pending">
      <span className="spinner" aria-hidden />
      Getting you a guest identity…
    </div>
  );
}
