// A confirmation's state (Stop lab → "Stop this lab?" → Stop / Cancel), pure so it is tested
// without a browser: asked, then cancelled (Esc or Cancel: the focus goes back to the button that
// asked) or confirmed (the action runs; its failure is shown in the dialog, which stays open).

export type ConfirmState =
  { phase: "closed" } | { phase: "asking" } | { phase: "working" } | { phase: "failed"; message: string };

export type ConfirmAction =
  { type: "ask" } | { type: "cancel" } | { type: "confirm" } | { type: "done" } | { type: "fail"; message: string };

export const CLOSED: ConfirmState = { phase: "closed" };

export function confirmReducer(state: ConfirmState, action: ConfirmAction): ConfirmState {
  switch (action.type) {
    case "ask":
      return state.phase === "closed" ? { phase: "asking" } : state;
    case "cancel":
      // While the action runs, Esc does not hide it: its outcome is still to come.
      return state.phase === "working" ? state : CLOSED;
    case "confirm":
      return state.phase === "asking" || state.phase === "failed" ? { phase: "working" } : state;
    case "done":
      return state.phase === "working" ? CLOSED : state;
    case "fail":
      return state.phase === "working" ? { phase: "failed", message: action.message } : state;
  }
}

/** Whether the dialog is shown. */
export const isOpen = (state: ConfirmState) => state.phase !== "closed";
