// What a terminal event did, seen from real socket connections to a real worker: each client event
// sent by a subject (a connection of its own) is "applied" when it took effect and "refused" when the
// gateway refused it and nothing changed; anything else says what went wrong. No sleeps: a sentinel
// event (unknown, so always refused with bad-request) proves that a client's earlier events were
// handled, and a command the watcher types after another proves the shell read the first.
import type { ClientEvent, Presence, TerminalError, TerminalSize } from "~/protocol/terminalProtocol";
import { eventually } from "./eventually";
import { connectTerminal, within, type TerminalClient } from "./harness";

/** Connections to one terminal of one session, with the last presence each was sent. */
export class TerminalBench {
  readonly presence = new Map<TerminalClient, Presence>();
  private readonly open = new Set<TerminalClient>();

  constructor(
    private readonly port: number,
    readonly sessionId: string,
    readonly terminal: string,
  ) {}

  /** Connects with a token and waits for the first screen; the refusal's message when the gateway refuses. */
  async tryConnect(token: string, sessionId = this.sessionId, terminal = this.terminal): Promise<TerminalClient | string> {
    let client: TerminalClient;
    try {
      client = await connectTerminal(this.port, { token, sessionId, terminal });
    } catch (error) {
      return (error as Error).message;
    }
    this.open.add(client);
    client.on("presence", (p) => this.presence.set(client, p));
    await within(
      new Promise<void>((resolve) => (client.snapshots ? resolve() : client.once("snapshot", () => resolve()))),
      10_000,
      "the first screen",
    );
    return client;
  }

  /** Closes a client; with `watcher`, waits until the terminal no longer counts it (presence says so). */
  async close(client: TerminalClient, watcher?: TerminalClient): Promise<void> {
    const id = client.connection.you;
    client.close();
    this.open.delete(client);
    this.presence.delete(client);
    if (watcher && id)
      await eventually(
        "the closed client to leave the terminal",
        () => !this.presence.get(watcher)?.clients.some((c) => c.id === id),
      );
  }

  closeAll(): void {
    for (const client of this.open) client.close();
    this.open.clear();
  }
}

let marks = 0;
/** A tag no other probe uses. */
export const mark = () => `m${++marks}x`;

/** Every error the client is sent from now on. */
export function errorsOf(client: TerminalClient): TerminalError[] {
  const errors: TerminalError[] = [];
  client.on("error", (e) => errors.push(e));
  return errors;
}

const SENTINEL = "sentinel-event";
const besidesSentinel = (errors: TerminalError[]) => errors.filter((e) => !e.message.includes(SENTINEL));

/** Sends an event no client may send: its bad-request error proves the client's events before it were handled. */
export async function sentinel(client: TerminalClient): Promise<void> {
  const refused = within(
    new Promise<void>((resolve) => {
      const listener = (error: TerminalError) => {
        if (!error.message.includes(SENTINEL)) return;
        client.off("error", listener);
        resolve();
      };
      client.on("error", listener);
    }),
    10_000,
    "the sentinel's refusal",
  );
  (client as unknown as { emit: (event: string) => void }).emit(SENTINEL);
  await refused;
}

/** A command whose output (not its echo) is `tag-42`. */
const echo = (tag: string) => `echo ${tag}-$((6*7))\n`;
const echoed = (tag: string) => new RegExp(`${tag}-42\\r\\n`);

/** Whether `tag` reached the shell, decided by a command the watcher types after it (the shell reads in order). */
async function reachedShell(watcher: TerminalClient, tag: string): Promise<boolean> {
  const after = mark();
  watcher.type(echo(after));
  await watcher.waitForOutput(echoed(after));
  return echoed(tag).test(watcher.screen());
}

/** The connections a probe needs besides its subject. */
export type ProbeContext = {
  bench: TerminalBench;
  /** A driver's tab that stays connected: it types the watcher's commands and hears presence. */
  watcher: TerminalClient;
  /** An instructor's tab (typing) that stays connected: it takes over for the release probe and sizes as a driver. */
  teacher: TerminalClient;
  teacherHandle: string;
  /** The handle the subject is shown by. */
  handleOf: (subject: TerminalClient) => string;
  /** A new driver's tab. */
  connectDriver: () => Promise<TerminalClient>;
};

/** Whether a driver who connects now may type (no instructor holds the terminal): their command runs, or is refused. */
async function driverMayType(ctx: ProbeContext): Promise<boolean> {
  const driver = await ctx.connectDriver();
  const tag = mark();
  const refused = new Promise<false>((resolve) => driver.on("error", (e) => e.code === "read-only" && resolve(false)));
  driver.type(echo(tag));
  const typed = await within(
    Promise.race([driver.waitForOutput(echoed(tag)).then(() => true), refused]),
    10_000,
    "the driver's command or its refusal",
  );
  await ctx.bench.close(driver, ctx.watcher);
  return typed;
}

const lockedBy = (ctx: ProbeContext) => ctx.bench.presence.get(ctx.watcher)?.lockedBy;

export type Probe = (subject: TerminalClient, ctx: ProbeContext) => Promise<string>;

/** One probe per client event (a new event without one does not compile). */
export const PROBES: Record<ClientEvent, Probe> = {
  async input(subject, ctx) {
    const tag = mark();
    const errors = errorsOf(subject);
    subject.type(echo(tag));
    await sentinel(subject);
    const refusals = besidesSentinel(errors);
    if (await reachedShell(ctx.watcher, tag))
      return refusals.length ? `applied, yet refused: ${JSON.stringify(refusals)}` : "applied";
    return refusals.some((e) => e.code === "read-only") ? "refused" : `lost without a refusal: ${JSON.stringify(refusals)}`;
  },

  async resize(subject, ctx) {
    // The subject asks for a small window, then the instructor's tab (which drives) for a large one:
    // the shared size is the smallest driver's window, so a subject who drives makes it the small one,
    // and a viewer's window is ignored (the large one wins). Each probe's sizes are new.
    const n = Number(mark().slice(1, -1)) % 100;
    const small = { cols: 150 - n, rows: 120 - n };
    const large = { cols: 400, rows: 150 + (n % 50) };
    subject.emit("resize", small);
    await sentinel(subject);
    ctx.teacher.emit("resize", large);
    const is = (s: TerminalSize) => {
      const size = ctx.bench.presence.get(ctx.watcher)?.size;
      return size?.cols === s.cols && size.rows === s.rows;
    };
    return eventually("the shared size after both resizes", () => (is(small) ? "applied" : is(large) ? "refused" : undefined));
  },

  async ack(subject) {
    const errors = errorsOf(subject);
    subject.emit("ack", { seq: 0 });
    await sentinel(subject);
    const refusals = besidesSentinel(errors);
    return refusals.length ? `refused: ${JSON.stringify(refusals)}` : "applied";
  },

  async takeover(subject, ctx) {
    const errors = errorsOf(subject);
    subject.emit("takeover");
    await sentinel(subject);
    if (besidesSentinel(errors).some((e) => e.code === "read-only"))
      return (await driverMayType(ctx)) ? "refused" : "refused, yet the terminal is locked";
    await eventually("the lock in presence", () => lockedBy(ctx) === ctx.handleOf(subject));
    const locked = !(await driverMayType(ctx));
    subject.emit("release");
    await eventually("the release in presence", () => lockedBy(ctx) === null);
    return locked ? "applied" : "applied, yet a driver still types";
  },

  async release(subject, ctx) {
    ctx.teacher.emit("takeover");
    await eventually("the instructor's lock in presence", () => lockedBy(ctx) === ctx.teacherHandle);
    const errors = errorsOf(subject);
    subject.emit("release");
    await sentinel(subject);
    if (besidesSentinel(errors).some((e) => e.code === "read-only")) {
      const stillLocked = !(await driverMayType(ctx));
      ctx.teacher.emit("release");
      await eventually("the instructor's release in presence", () => lockedBy(ctx) === null);
      return stillLocked ? "refused" : "refused, yet the terminal was released";
    }
    await eventually("the release in presence", () => lockedBy(ctx) === null);
    return "applied";
  },
};
