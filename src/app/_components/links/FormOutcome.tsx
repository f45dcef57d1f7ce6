"use client";

// What a link form's last action came to: a polite status for a success ("Applied.") and, for an
// error, an alert whose id the form's invalid inputs point at (aria-describedby). One block for
// one interface's settings and the instructor's class-wide form.
export function FormOutcome({ done, error, errorId }: { done: string; error: string; errorId: string }) {
  return (
    <>
      <p role="status" aria-live="polite">
        {done}
      </p>
      {error && (
        <p id={errorId} role="alert" className="error">
          {error}
        </p>
      )}
    </>
  );
}
