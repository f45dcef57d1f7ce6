// Who may type into a shared terminal, and when: the rules in one pure function, each with a row
// in inputPolicy.test.ts. The terminal asks it for every keystroke message it would apply.
import { INSTRUCTOR, mayTakeOver, mayType } from "~/protocol/roles";
import type { TerminalError, TerminalRole } from "~/protocol/terminalProtocol";
import { clientLimits } from "./clientGuard";

export type InputState = {
  role: TerminalRole;
  /** The handle of the instructor who took over the terminal, or null. */
  lockedBy: string | null;
  /** Bytes of typed input the client's rate limit lets through now. */
  bytesAvailable: number;
};

const KIB = 1024;

/** Why this much input from this client may not reach the shell now, or undefined when it may. */
export function inputRefusal(state: InputState, bytes: number): TerminalError | undefined {
  if (!mayType(state.role)) return { code: "read-only", message: "you are watching this terminal: typing is off" };
  if (state.lockedBy !== null && !mayTakeOver(state.role)) {
    return { code: "read-only", message: `an ${INSTRUCTOR} has taken over this terminal: typing is paused` };
  }
  if (bytes > state.bytesAvailable) {
    return {
      code: "rate-limited",
      message: `too much input too fast; slow down (limit: ${clientLimits.inputBytesPerSecond / KIB} KiB/s)`,
    };
  }
  return undefined;
}

/** Why this client may not take over (or release) the terminal, or undefined when it may. */
export function takeoverRefusal(role: TerminalRole): TerminalError | undefined {
  return mayTakeOver(role) ? undefined : { code: "read-only", message: `only an ${INSTRUCTOR} can take over a terminal` };
}
