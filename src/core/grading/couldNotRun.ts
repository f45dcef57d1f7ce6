import { SessionLabError } from "~/core/labs/sessionLab";
import { SessionParamsError } from "~/core/sessions/sessionParams";

/**
 * A check could not be evaluated: the engine failed or timed out, the session stopped, its lab is
 * gone. Not a failed check: the learner's work was not judged, so the run ends in error with this
 * message as its reason, and no check result changes.
 */
export class CheckCouldNotRunError extends Error {
  constructor(
    reason: string,
    /** The engine failed: another attempt may work. Not READY or no lab: it will not. */
    readonly retryable = false,
  ) {
    super(reason);
    this.name = "CheckCouldNotRunError";
  }
}

/** The session's stored lab or params cannot be read: no retry helps, a new session does. */
function isBrokenSession(error: unknown): boolean {
  return error instanceof SessionLabError || error instanceof SessionParamsError;
}

/** No other attempt can succeed: the run ends now, with its reason. */
export function isHopeless(error: unknown): boolean {
  return (error instanceof CheckCouldNotRunError && !error.retryable) || isBrokenSession(error);
}

/** Why a run could not run, in words for the learner (unexpected errors are not described). */
export function couldNotRunReason(error: unknown): string {
  if (error instanceof CheckCouldNotRunError) return error.message;
  if (isBrokenSession(error)) return "this session's stored lab cannot be read; stop it and start the lab again";
  return "the worker failed while running it; try again";
}
