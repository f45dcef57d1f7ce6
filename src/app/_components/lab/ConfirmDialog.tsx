"use client";

import { useEffect, useId, useRef } from "react";
import type { ConfirmState } from "./confirmState";

/**
 * A modal confirmation (the browser's <dialog>: the rest of the page is inert while it is open).
 * The focus moves to Cancel (the safe choice) when it opens; Esc or Cancel cancels; when it closes
 * the focus goes back to what had it (the button that asked). Its failure is read out (role=alert).
 */
export function ConfirmDialog({
  state,
  title,
  body,
  confirmText,
  workingText,
  onConfirm,
  onCancel,
}: {
  state: ConfirmState;
  title: string;
  body: string;
  confirmText: string;
  workingText: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);
  const id = useId();
  const open = state.phase !== "closed";
  const working = state.phase === "working";

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      returnFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      element.showModal();
      cancel.current?.focus();
    } else if (!open && element.open) {
      element.close();
      // The button that asked may be gone (a stopped lab has no Stop): then the focus stays where the page put it.
      if (returnFocus.current?.isConnected) returnFocus.current.focus();
      returnFocus.current = null;
    }
  }, [open]);

  return (
    <dialog
      ref={dialog}
      className="confirm-dialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      // Esc: the browser would close the dialog itself; the state decides instead (and refocuses).
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      <p id={`${id}-body`}>{body}</p>
      {state.phase === "failed" && (
        <p role="alert" className="error">
          {state.message}
        </p>
      )}
      <p className="confirm-buttons">
        <button ref={cancel} type="button" className="secondary" onClick={onCancel} aria-disabled={working}>
          Cancel
        </button>
        <button type="button" className="danger" onClick={() => !working && onConfirm()} aria-disabled={working}>
          {working ? workingText : confirmText}
        </button>
      </p>
    </dialog>
  );
}
