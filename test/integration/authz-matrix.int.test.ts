// Who may call what, built from the router itself: every tRPC procedure × every kind of caller
// (no cookie, a stranger, the session's owner, a driver and a viewer it invited), each call made
// through the real HTTP route (subscriptions through the caller, as SSE carries them). A procedure
// the router gains without an entry here fails the first test. Classes, instructors and admins
// add their columns with issue 12.
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Status } from "~/protocol/sessionStatus";
import { appRouter, createCaller } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import type { RunningWorker } from "../../worker/app";
import { callTrpc, engine, learner, testWorker, waitForStatus } from "../support/harness";

// The owner holds a few sessions at once here (the shared one, one each for join and stop, and the
// one session.start makes), above the default of 3 (read by the web's settings on first use).
process.env.MAX_ACTIVE_SESSIONS_PER_USER = "10";

type Learner = Awaited<ReturnType<typeof learner>>;
const CALLERS = ["anonymous", "stranger", "owner", "driver", "viewer"] as const;
type Caller = (typeof CALLERS)[number];
const ORIGIN = "http://127.0.0.1:3000"; // one of WEB_ORIGINS' defaults
/** The codes that mean "not for you": everything else is an answer the caller was allowed to get. */
const REFUSALS = ["UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND"];

type Entry = {
  /** The input, for the session under test (`invite`: a fresh invite link's token). */
  input: (s: { sessionId: string; invite: string }) => unknown;
  allowed: readonly Caller[];
  /** The call changes what later calls see (a stop, a new member): it gets a session of its own. */
  ownSession?: boolean;
};
const SIGNED_IN: readonly Caller[] = ["stranger", "owner", "driver", "viewer"];
const MEMBERS: readonly Caller[] = ["owner", "driver", "viewer"];

const MATRIX: Record<string, Entry> = {
  "lab.list": { input: () => undefined, allowed: CALLERS },
  // Not about a session: any signed-in learner may start one (each is torn down after).
  "session.start": { input: () => ({ labSlug: "bridge-basics" }), allowed: SIGNED_IN },
  "session.get": { input: ({ sessionId }) => ({ sessionId }), allowed: MEMBERS },
  "session.share": { input: ({ sessionId }) => ({ sessionId, role: "viewer" }), allowed: ["owner"] },
  // An invite is the capability: whoever signed in and holds one joins (no cookie: refused).
  "session.join": { input: ({ invite }) => ({ invite }), allowed: SIGNED_IN, ownSession: true },
  "session.stop": { input: ({ sessionId }) => ({ sessionId }), allowed: ["owner"], ownSession: true },
  "session.terminalToken": { input: ({ sessionId }) => ({ sessionId, terminal: "host" }), allowed: MEMBERS },
  "grading.progress": { input: ({ sessionId }) => ({ sessionId }), allowed: MEMBERS },
  "grading.check": { input: ({ sessionId }) => ({ sessionId, stepId: "builtin-networks" }), allowed: ["owner", "driver"] },
  "grading.submit": { input: ({ sessionId }) => ({ sessionId }), allowed: ["owner"] },
  "grading.revealSolution": {
    input: ({ sessionId }) => ({ sessionId, stepId: "builtin-networks" }),
    allowed: ["owner", "driver"],
  },
  "live.session": { input: ({ sessionId }) => ({ sessionId }), allowed: MEMBERS },
};

let worker: RunningWorker;
const started: string[] = [];
let people: Record<Exclude<Caller, "anonymous">, Learner>;

/** A READY session of the fixture lab bridge-basics, with a driver and a viewer invited. */
async function memberSession(): Promise<string> {
  const sessionId = (await people.owner.api.session.start({ labSlug: "bridge-basics" })).id;
  started.push(sessionId);
  for (const role of ["driver", "viewer"] as const) {
    const { path } = await people.owner.api.session.share({ sessionId, role });
    await people[role].api.session.join({ invite: new URL(path, "http://x").searchParams.get("invite")! });
  }
  await waitForStatus(sessionId, [Status.ready]);
  return sessionId;
}

async function freshInvite(sessionId: string): Promise<string> {
  const { path } = await people.owner.api.session.share({ sessionId, role: "viewer" });
  return new URL(path, "http://x").searchParams.get("invite")!;
}

/** What a caller gets: "allowed", or the refusal's code. */
async function outcome(procedure: string, who: Caller, input: unknown): Promise<string> {
  const got = await answer(procedure, who, input);
  // A session the stranger started is stopped with the others.
  const made = (got.data as { id?: string } | undefined)?.id;
  if (procedure === "session.start" && made) started.push(made);
  return got.code;
}

async function answer(procedure: string, who: Caller, input: unknown): Promise<{ code: string; data?: unknown }> {
  const type = (appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)[procedure]!._def.type;
  if (type === "subscription") {
    const ctx = await createTRPCContext({ headers: new Headers(who === "anonymous" ? {} : { cookie: people[who].cookie }) });
    const [router, name] = procedure.split(".") as [string, string];
    try {
      const caller = createCaller(ctx) as unknown as Record<
        string,
        Record<string, (i: unknown) => Promise<AsyncIterable<unknown>>>
      >;
      const stream = (await caller[router]![name]!(input))[Symbol.asyncIterator]();
      await stream.next(); // access is checked before the first event
      await stream.return?.();
      return { code: "allowed" };
    } catch (error) {
      if (error instanceof TRPCError && REFUSALS.includes(error.code)) return { code: error.code };
      throw error;
    }
  }
  const http = await callTrpc(procedure, input, {
    cookie: who === "anonymous" ? undefined : people[who].cookie,
    method: type === "query" ? "GET" : "POST",
    origin: ORIGIN,
  });
  if (http.error && REFUSALS.includes(http.error.code)) return { code: http.error.code };
  return { code: "allowed", data: http.data };
}

beforeAll(async () => {
  worker = await testWorker();
  const [stranger, owner, driver, viewer] = await Promise.all([learner(), learner(), learner(), learner()]);
  people = { stranger, owner, driver, viewer };
}, 120_000);

afterAll(async () => {
  for (const id of started) await engine.teardown(id).catch(() => undefined);
  await worker?.stop();
});

describe("the authorisation matrix", () => {
  it("has an entry for every procedure of the router, and none for a procedure it no longer has", () => {
    const procedures = Object.keys(appRouter._def.procedures).sort();
    expect(procedures).toEqual(Object.keys(MATRIX).sort());
  });

  it("answers every caller of every procedure as the matrix says, through the real route", async () => {
    const shared = await memberSession();
    const cells: string[] = [];
    for (const [procedure, entry] of Object.entries(MATRIX)) {
      const sessionId = entry.ownSession ? await memberSession() : shared;
      const invite = await freshInvite(sessionId);
      for (const who of CALLERS) {
        const got = await outcome(procedure, who, entry.input({ sessionId, invite }));
        const want = entry.allowed.includes(who) ? "allowed" : "refused";
        cells.push(`${procedure} × ${who}: ${got === "allowed" ? "allowed" : `refused (${got})`}`);
        expect(got === "allowed" ? "allowed" : "refused", `${procedure} × ${who} (${got})`).toBe(want);
      }
    }
    // No cookie is always UNAUTHORIZED (never a hint that the session exists), except the public list.
    expect(cells.filter((c) => c.includes("× anonymous: refused") && !c.endsWith("(UNAUTHORIZED)"))).toEqual([]);
  }, 240_000);
});
