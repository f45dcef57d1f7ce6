// POST /wireroom/link: the host terminal's `link` command (images/labhost/link.c). Its body is the
// command's arguments, one per line (text/plain); the answer is text, 200 for success (printed on
// stdout) and 400 otherwise (stderr; 429 past the session's bound on changes). The command itself is the core's (src/core/links/linkCommand.ts),
// which the worker registers here (it needs the database); a process without it says so.
import type { IncomingMessage } from "node:http";
import { reserveLinkChange, TOO_MANY_LINK_CHANGES } from "~/core/links/changeBudget";
import type { Call } from "../context";
import { ApiError } from "../apiError";

export type LinkCommandService = (sessionId: string, args: string[]) => Promise<{ ok: boolean; text: string }>;

/** Process-wide, like the endpoints themselves (sessionEndpoints.ts): the worker's composition root sets it. */
let service: LinkCommandService | undefined;

/** Serves `link` on every session endpoint of this process; returns the undo. */
export function serveLinkCommands(s: LinkCommandService): () => void {
  service = s;
  return () => {
    if (service === s) service = undefined;
  };
}

const MAX_ARGS_BYTES = 4096;

/** The command's arguments: the body's lines (link.c joins them with "\n"; none contains one). */
export async function readLinkArgs(req: IncomingMessage): Promise<string[]> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_ARGS_BYTES) throw new ApiError(413, `link: arguments too long (at most ${MAX_ARGS_BYTES} bytes in all)`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  // Printable text: no control character but the line breaks between arguments.
  if ([...text].some((c) => c !== "\n" && (c < " " || c === "\x7f")))
    throw new ApiError(400, "link: arguments must be printable text");
  return text === "" ? [] : text.split("\n");
}

function sendText(call: Call, status: number, text: string): void {
  const body = Buffer.from(text.endsWith("\n") ? text : `${text}\n`);
  call.res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": body.length });
  call.res.end(body);
}

export async function link(call: Call): Promise<void> {
  if (!service) return sendText(call, 503, "link: link settings are not available on this lab host");
  const args = call.body as string[];
  if (args[0] !== "set" && args[0] !== "clear") {
    const answer = await service(call.session.sessionId, args);
    return sendText(call, answer.ok ? 200 : 400, answer.text);
  }
  // The session's bound on changes (src/core/links/changeBudget.ts, the page's procedures share it):
  // the unit is taken before the change runs and given back when it is refused.
  const unit = reserveLinkChange(call.session.sessionId);
  if (!unit) return sendText(call, 429, `link: ${TOO_MANY_LINK_CHANGES}`);
  let answer: { ok: boolean; text: string };
  try {
    answer = await service(call.session.sessionId, args);
  } catch (error) {
    unit.refund();
    throw error;
  }
  if (!answer.ok) unit.refund();
  sendText(call, answer.ok ? 200 : 400, answer.text);
}
