"use client";

import { useId } from "react";

/** A labelled input with its hint and its error (announced, and tied to the input). */
export function Field({
  label,
  hint,
  error,
  ...input
}: { label: string; hint?: string; error?: string | null } & React.InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={described} {...input} />
      {hint && (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className="error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

/** A form's progress (polite) while it waits, and its outcome. */
export function FormStatus({ pending, pendingText, error }: { pending: boolean; pendingText: string; error: string | null }) {
  return (
    <>
      <p role="status" aria-live="polite" className="status-line">
        {pending && (
          <>
            <span className="spinner" aria-hidden /> {pendingText}
          </>
        )}
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </>
  );
}
