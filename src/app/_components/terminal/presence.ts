// Who else is on a terminal, in words for its status bar.
import { INSTRUCTOR } from "~/protocol/roles";
import type { Presence } from "~/protocol/terminalProtocol";

export type PresenceSummary = {
  /** One line: how many are connected, who typed last, who has taken over. */
  line: string;
  /** Everyone connected, one per line, with their role. */
  detail: string;
};

/** `you`: this connection's id in presence (from its snapshot), if known. */
export function summarizePresence(presence: Presence, you: string | null): PresenceSummary {
  const yourHandle = presence.clients.find((c) => c.id === you)?.handle;
  const parts = [`${presence.clients.length} connected`];
  const typist = presence.lastTypist?.handle;
  if (typist) parts.push(`last typed by ${typist}${typist === yourHandle ? " (you)" : ""}`);
  if (presence.lockedBy) parts.push(`${presence.lockedBy} (${INSTRUCTOR}) has taken over`);
  return {
    line: parts.join(" · "),
    detail: presence.clients.map((c) => `${c.handle}${c.id === you ? " (you)" : ""} · ${c.role}`).join("\n"),
  };
}
