// What a key press in the terminal does, decided without xterm or a DOM so it can be tested.
//
// xterm keeps Tab for the shell (completion), which traps keyboard users inside the terminal.
// The way out is Escape, then Tab (or Shift+Tab): Escape still reaches the shell (vi, readline),
// and the Tab that follows moves the browser's focus instead of completing.

/** The parts of a KeyboardEvent the decision reads. */
export type KeyPress = Pick<KeyboardEvent, "type" | "key" | "code" | "ctrlKey" | "shiftKey" | "altKey" | "metaKey">;

export type KeyAction =
  /** Copy the terminal's selection to the clipboard. */
  | "copy"
  /** Paste the clipboard into the terminal. */
  | "paste"
  /** Let the browser move focus out of the terminal. */
  | "leave"
  /** Let xterm handle it (usually: send it to the shell). */
  | "terminal";

export type KeyDecision = { action: KeyAction; /** Escape was just pressed: a Tab now leaves. */ leaving: boolean };

export const LEAVE_HINT = "Escape then Tab: leave the terminal";
export const CLIPBOARD_HINT = "Ctrl+Shift+C / Ctrl+Shift+V: copy / paste";

const MODIFIERS = new Set(["Shift", "Control", "Alt", "Meta", "AltGraph", "CapsLock"]);

/**
 * Decides one key event. `leaving` is the previous decision's (false at first); `hasSelection`:
 * whether the terminal has selected text. Ctrl+C without Shift stays the shell's interrupt.
 */
export function decideKey(event: KeyPress, leaving: boolean, hasSelection: boolean): KeyDecision {
  // xterm asks again for keypress and keyup; only keydown acts or changes state.
  if (event.type !== "keydown") return { action: "terminal", leaving };
  // Holding Shift for Shift+Tab must not cancel a pending Escape.
  if (MODIFIERS.has(event.key)) return { action: "terminal", leaving };
  const plain = !event.ctrlKey && !event.altKey && !event.metaKey;
  if (event.key === "Tab" && plain && leaving) return { action: "leave", leaving: false };
  if (event.key === "Escape" && plain && !event.shiftKey) return { action: "terminal", leaving: true };
  if (event.ctrlKey && event.shiftKey && !event.altKey && !event.metaKey) {
    if (event.code === "KeyC" && hasSelection) return { action: "copy", leaving: false };
    if (event.code === "KeyV") return { action: "paste", leaving: false };
  }
  return { action: "terminal", leaving: false };
}
