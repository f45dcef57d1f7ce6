// The browser's xterm: loaded on demand (it needs a DOM), fitted to its element, with the
// terminal's own keys (clipboard, the way out by keyboard) and a description for screen readers.
import type { FitAddon } from "@xterm/addon-fit";
import type { Terminal as XTerm } from "@xterm/xterm";
import { decideKey } from "./keys";

export type Xterm = { term: XTerm; fit: FitAddon };

/** Null when `cancelled()` says, once xterm has loaded, that the page no longer wants it. */
export async function openXterm(mount: HTMLElement, cancelled: () => boolean): Promise<Xterm | null> {
  const [{ Terminal }, { FitAddon }, { WebLinksAddon }] = await Promise.all([
    import("@xterm/xterm"),
    import("@xterm/addon-fit"),
    import("@xterm/addon-web-links"),
  ]);
  if (cancelled()) return null;
  // minimumContrastRatio: xterm lightens any colour (ls's dark blue, say) below 4.5:1 on its background.
  const term = new Terminal({ cursorBlink: true, fontSize: 14, scrollback: 5000, minimumContrastRatio: 4.5 });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.loadAddon(new WebLinksAddon());
  term.open(mount);
  fit.fit();
  return { term, fit };
}

/**
 * Binds copy, paste and leaving (see keys.ts) to `term`. `describedBy`: the id of the element
 * that explains those keys, read out when the terminal gets focus. Returns the unbinding.
 */
export function bindKeys(term: XTerm, describedBy: string): () => void {
  let leaving = false;
  term.attachCustomKeyEventHandler((event) => {
    const decision = decideKey(event, leaving, term.hasSelection());
    leaving = decision.leaving;
    switch (decision.action) {
      case "copy":
        void navigator.clipboard?.writeText(term.getSelection());
        return false;
      case "paste":
        void navigator.clipboard?.readText().then((text) => term.paste(text));
        return false;
      case "leave":
        return false; // xterm leaves the event alone, so the browser moves focus as for any Tab
      case "terminal":
        return true;
    }
  });
  const textarea = term.textarea;
  textarea?.setAttribute("aria-describedby", describedBy);
  // An Escape pressed before clicking away must not make the first Tab after coming back leave.
  const forget = () => (leaving = false);
  textarea?.addEventListener("focus", forget);
  return () => textarea?.removeEventListener("focus", forget);
}
