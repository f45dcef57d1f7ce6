/** What an action came to: its error (an alert) and, once it worked, what it did (a polite status). */
export function Outcome({ error, success }: { error: { message: string } | null; success?: React.ReactNode }) {
  return (
    <>
      {error && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
      <p role="status" aria-live="polite">
        {success}
      </p>
    </>
  );
}
