import Link from "next/link";

/** Progress while a page's data loads. */
export function Loading({ what }: { what: string }) {
  return (
    <p role="status" className="status">
      <span className="spinner" aria-hidden /> Loading {what}…
    </p>
  );
}

/** A page that could not load: what went wrong, and where to go instead. */
export function PageError({ title, message }: { title: string; message: string }) {
  return (
    <div role="alert">
      <h1>{title}</h1>
      <p className="error">{message}</p>
      <Link href="/classes">Your classes</Link>
    </div>
  );
}
