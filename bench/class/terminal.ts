// A learner's terminal tab: the token from the web (session.terminalToken), then socket.io to the
// worker's gateway it names, as the browser's terminal connects. Gives a Pipe (bench/pipes.ts) for
// typing, and waits for the shell's prompt.
import { io } from "socket.io-client";
import { TerminalConnection } from "~/protocol/terminalConnection";
import { TERMINAL_NAMESPACE } from "~/protocol/terminalProtocol";
import type { Pipe } from "../pipes";
import { BenchError, mutate, type Browser } from "./http";

/** A busybox shell's prompt ("/ # ") at the end of the output so far, escape sequences aside. */
// eslint-disable-next-line no-control-regex -- escape sequences are exactly what this removes
const ESCAPES = /\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07]*\x07|[@-Z\\-_])/g;
const endsInPrompt = (text: string) => /[#$]$/.test(text.replace(ESCAPES, "").trimEnd());

export type Tab = Pipe & {
  /** When the gateway's snapshot arrived (performance.now). */
  openedAt: number;
  /** Resolves with the time (performance.now) the output first ended in a prompt. */
  prompt: Promise<number>;
};

export async function openTab(browser: Browser, sessionId: string, terminal: string, timeoutMs: number): Promise<Tab> {
  const grant = await mutate<{ token: string; url: string }>(browser, "session.terminalToken", { sessionId, terminal });
  let listener: ((text: string) => void) | undefined;
  let seen = "";
  let onPrompt!: (at: number) => void;
  const prompt = new Promise<number>((resolve) => (onPrompt = resolve));
  const connection = new TerminalConnection({
    reset: () => {},
    write: (data, done) => {
      seen = (seen + data).slice(-256);
      if (endsInPrompt(seen)) onPrompt(performance.now());
      listener?.(data);
      done();
    },
  });
  const socket = io(`${grant.url}${TERMINAL_NAMESPACE}`, {
    auth: (cb) => cb({ token: grant.token, sessionId, terminal, ...connection.handshake() }),
    transports: ["websocket"],
    forceNew: true,
    reconnection: false,
  });
  connection.attach(socket);
  const openedAt = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new BenchError("timeout: terminal snapshot", `no snapshot from ${terminal} within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    socket.once("snapshot", () => (clearTimeout(timer), resolve(performance.now())));
    socket.once("connect_error", (error) => {
      clearTimeout(timer);
      socket.close();
      reject(
        new BenchError(`terminal refused: ${error.message}`.slice(0, 60), `the gateway refused ${terminal}: ${error.message}`),
      );
    });
  });
  return {
    openedAt,
    prompt,
    write: (data) => connection.send(data),
    onData: (fn) => (listener = fn),
    close: () => socket.close(),
  };
}

/** Waits for a prompt after `since` output (e.g. after a command ran), bounded. */
export function nextPrompt(pipe: Pipe, timeoutMs: number): Promise<void> {
  let seen = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new BenchError("timeout: prompt", `no prompt within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    pipe.onData((text) => {
      seen = (seen + text).slice(-256);
      if (endsInPrompt(seen)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}
