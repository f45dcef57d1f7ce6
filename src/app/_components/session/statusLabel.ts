import { Status, type SessionStatus } from "~/protocol/sessionStatus";

/** A session's status in the page's words (the lab page's status line and the home's list). */
export const statusLabel: Record<SessionStatus, string> = {
  [Status.waiting]: "Waiting for a place",
  [Status.queued]: "Queued",
  [Status.provisioning]: "Starting containers",
  [Status.ready]: "Running",
  [Status.stopping]: "Stopping",
  [Status.stopped]: "Stopped",
  [Status.failed]: "Failed",
};
