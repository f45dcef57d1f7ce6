// Who may call what, built from the router and the terminal protocol themselves, for every kind of
// caller: no cookie, a guest, an account in no class, the session's owner (a learner of the class),
// a driver and a viewer it invited, another learner of the class, a learner of another class, the
// class's instructor, another class's instructor, an admin.
// - Terminals, over real socket connections to a real worker: who gets a token in which mode, who
//   may connect with which role whatever a token says, and what each client event does for each
//   role that may connect (CLIENT_EVENTS: an event without an entry fails).
// - Captures, the same way: the role each member's capture token carries, and what each capture
//   event does for each of them (CAPTURE_CLIENT_EVENTS: an event without an entry fails).
// - The API: every tRPC procedure through the real HTTP route (subscriptions as server-sent events,
//   as the browser opens them), allowed or refused; no cookie is UNAUTHORIZED; nobody is told a session, its
//   owner or a join code that is not theirs. A procedure without an entry fails.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TERMINAL_MODES, type TerminalMode } from "~/core/sessions/issueTerminalToken";
import { signTerminalToken } from "~/core/sessions/terminalToken";
import { DRIVER, INSTRUCTOR, VIEWER, type TerminalRole } from "~/protocol/roles";
import {
  CAPTURE_CLIENT_EVENTS,
  CLIENT_EVENTS,
  refusal,
  type CaptureClientEvent,
  type ClientEvent,
} from "~/protocol/terminalProtocol";
import { appRouter } from "~/server/api/root";
import type { RunningWorker } from "../../worker/app";
import { connectLimits } from "../../worker/gateway/connectLimiter";
import {
  buildWorld,
  classSession,
  freshClass,
  inviteTo,
  PEOPLE,
  submissionOf,
  teardownAllSessions,
  type World,
} from "../support/classWorld";
import { connectCapture, type CaptureClient } from "../support/captureClient";
import { eventually } from "../support/eventually";
import { callTrpc, engine, testWorker, within, type TerminalClient } from "../support/harness";
import type { Person } from "../support/people";
import { subscribeOnce } from "../support/subscribeOnce";
import { PROBES, TerminalBench, type ProbeContext } from "../support/terminalProbes";

// The owner holds several sessions at once here (the shared one, one per call that changes a
// session, the ones session.start makes), above the default of 3 (read by the web's settings on first use).
process.env.MAX_ACTIVE_SESSIONS_PER_USER = "30";
// Each caller connects to the same terminal many times in a few seconds; the reconnect limiter
// (gateway-abuse.int.test.ts tests it) is not what this file is about.
connectLimits.burst = 1000;

const NO_COOKIE = "no cookie";
const CALLERS = [NO_COOKIE, ...PEOPLE] as const;
type Caller = (typeof CALLERS)[number];
type SignedIn = Exclude<Caller, typeof NO_COOKIE>;
const ORIGIN = "http://127.0.0.1:3000"; // one of WEB_ORIGINS' defaults
/** The codes that mean "not for you": everything else is an answer the caller was allowed to get. */
const REFUSALS = ["UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND"];

let worker: RunningWorker;
let workerStopped: Promise<void> | undefined;
const stopWorker = () => (workerStopped ??= worker.stop());
let world: World;
let people: Record<SignedIn, Person>;
/** The session most cells share (READY, owner a learner of the class, a driver and a viewer invited). */
let shared: string;
/** Another class's session (READY), owned by its learner. */
let otherSession: string;

beforeAll(async () => {
  worker = await testWorker();
  world = await buildWorld();
  people = world.people;
  [shared, otherSession] = await Promise.all([
    classSession(world),
    classSession(world, { owner: people["other learner"], klass: world.otherClass }),
  ]);
}, 120_000);

afterAll(async () => {
  if (worker) await stopWorker();
  await teardownAllSessions();
});

// ---------------------------------------------------------------------------------------------
// Terminals: the socket gateway. Who may connect with which role is the access module's rule
// (mayOpenTerminal); what each event does for each role is the shared terminal's.

const TERMINAL = "host";
const TERMINAL_ROLES: readonly TerminalRole[] = [DRIVER, VIEWER, INSTRUCTOR];
/** The roles each caller may open the session's terminal with (an instructor may also only watch). */
const CONNECTS: Record<SignedIn, readonly TerminalRole[]> = {
  guest: [],
  stranger: [],
  owner: [DRIVER],
  driver: [DRIVER],
  viewer: [VIEWER],
  classmate: [],
  "other learner": [],
  instructor: [INSTRUCTOR, VIEWER],
  "other instructor": [],
  admin: [INSTRUCTOR, VIEWER],
};

type Mode = "default" | TerminalMode;
const MODES: readonly Mode[] = ["default", ...TERMINAL_MODES];
/**
 * The role session.terminalToken gives each caller in each mode (none, "watch", "type"), or null
 * when it refuses them: an instructor watches unless they ask to type; nobody else's role depends on
 * the mode (a viewer asking to type is still a viewer).
 */
const TOKEN_ROLE: Record<SignedIn, Record<Mode, TerminalRole | null>> = {
  guest: { default: null, watch: null, type: null },
  stranger: { default: null, watch: null, type: null },
  owner: { default: DRIVER, watch: DRIVER, type: DRIVER },
  driver: { default: DRIVER, watch: DRIVER, type: DRIVER },
  viewer: { default: VIEWER, watch: VIEWER, type: VIEWER },
  classmate: { default: null, watch: null, type: null },
  "other learner": { default: null, watch: null, type: null },
  instructor: { default: VIEWER, watch: VIEWER, type: INSTRUCTOR },
  "other instructor": { default: null, watch: null, type: null },
  admin: { default: VIEWER, watch: VIEWER, type: INSTRUCTOR },
};

/** A connected caller: who, with which role. */
type Subject = { who: SignedIn; role: TerminalRole };
const SUBJECTS: Subject[] = (Object.entries(CONNECTS) as [SignedIn, TerminalRole[]][]).flatMap(([who, roles]) =>
  roles.map((role) => ({ who, role })),
);
const subjectName = ({ who, role }: Subject) => `${who} as ${role}`;
const TYPISTS = ["owner as driver", "driver as driver", "instructor as instructor", "admin as instructor"];

/** For each event, the connected subjects it takes effect for; it is refused (or ignored) for every other one. */
const EVENT_MATRIX: Record<ClientEvent, readonly string[]> = {
  // Typing reaches the shell for those who drive; a viewer (or an instructor watching) is read-only.
  input: TYPISTS,
  // Only the windows of those who type size the shared terminal.
  resize: TYPISTS,
  // Everyone acknowledges their own output (flow control).
  ack: SUBJECTS.map(subjectName),
  takeover: ["instructor as instructor", "admin as instructor"],
  release: ["instructor as instructor", "admin as instructor"],
};

/** A token the web would sign for this user and role (the test holds the web's secret). */
function tokenAs(who: Person, role: TerminalRole, sessionId = shared) {
  return signTerminalToken(process.env.TERMINAL_TOKEN_SECRET!, {
    sub: who.id,
    sid: sessionId,
    terminal: TERMINAL,
    role,
    cid: randomBytes(16).toString("base64url"),
    handle: who.handle,
  });
}

const outcomeOf = (client: TerminalClient | string) => (typeof client === "string" ? `refused (${client})` : "connected");

describe("the authorisation matrix of the terminals (tokens, socket connections and events)", () => {
  let bench: TerminalBench;
  beforeAll(() => {
    bench = new TerminalBench(worker.port, shared, TERMINAL);
  });
  afterAll(() => bench.closeAll());

  /** Connects a subject with the token the web gives them (an instructor asks to type, or to watch). */
  async function connectAs(subject: Subject): Promise<TerminalClient> {
    const mode: TerminalMode = subject.role === INSTRUCTOR ? "type" : "watch";
    const issued = await people[subject.who].api.session.terminalToken({ sessionId: shared, terminal: TERMINAL, mode });
    if (issued.role !== subject.role) throw new Error(`${subjectName(subject)} was given a token for ${issued.role}`);
    const client = await bench.tryConnect(issued.token);
    if (typeof client === "string") throw new Error(`${subjectName(subject)} could not connect: ${client}`);
    return client;
  }

  it("has an entry for every client event and every caller", () => {
    expect(Object.keys(EVENT_MATRIX).sort()).toEqual([...CLIENT_EVENTS].sort());
    expect(Object.keys(CONNECTS).sort()).toEqual([...PEOPLE].sort());
    expect(Object.keys(TOKEN_ROLE).sort()).toEqual([...PEOPLE].sort());
  });

  it("gives a terminal token to those who may open the terminal, in each mode, with a role the gateway lets them in with", async () => {
    const cells: string[] = [];
    for (const who of CALLERS) {
      for (const mode of MODES) {
        const http = await callTrpc(
          "session.terminalToken",
          { sessionId: shared, terminal: TERMINAL, ...(mode === "default" ? {} : { mode }) },
          { cookie: who === NO_COOKIE ? undefined : people[who].cookie, method: "POST", origin: ORIGIN },
        );
        const issued = http.data as { token: string; role: TerminalRole; canTakeOver: boolean } | undefined;
        cells.push(`${who} (${mode}): ${issued ? issued.role : `refused (${http.error?.code})`}`);
        expect(issued?.role ?? null, `${who} (${mode}): ${http.error?.message}`).toBe(
          who === NO_COOKIE ? null : TOKEN_ROLE[who][mode],
        );
        if (!issued) {
          expect(http.error?.code, who).toBe(who === NO_COOKIE ? "UNAUTHORIZED" : "NOT_FOUND");
          continue;
        }
        // The page offers Take over to the class's instructor (and admins) only.
        expect(issued.canTakeOver, `${who} (${mode}) may take over`).toBe(TOKEN_ROLE[who as SignedIn].type === INSTRUCTOR);
        const client = await bench.tryConnect(issued.token);
        expect(outcomeOf(client), `${who} (${mode}) connecting with the token they were given`).toBe("connected");
        if (typeof client !== "string") await bench.close(client);
      }
    }
    console.log(`[authz-matrix] terminal tokens:\n${cells.join("\n")}`);
  });

  it("lets each caller connect with exactly the roles their access gives, whatever a token says", async () => {
    const cells: string[] = [];
    for (const who of PEOPLE) {
      for (const role of TERMINAL_ROLES) {
        const client = await bench.tryConnect(await tokenAs(people[who], role));
        cells.push(`${who} as ${role}: ${outcomeOf(client)}`);
        expect(outcomeOf(client), `${who} as ${role}`).toBe(
          CONNECTS[who].includes(role) ? "connected" : `refused (${refusal.sessionNotReady})`,
        );
        if (typeof client !== "string") await bench.close(client);
      }
    }
    // No cookie: no token, or one the web did not sign.
    expect(await bench.tryConnect("")).toMatch(/no terminal token/);
    const forged = await signTerminalToken("a-secret-that-is-not-the-webs-0123456789", {
      sub: people.owner.id,
      sid: shared,
      terminal: TERMINAL,
      role: DRIVER,
      cid: randomBytes(16).toString("base64url"),
      handle: "forger",
    });
    expect(await bench.tryConnect(forged)).toMatch(/not valid/);
    console.log(`[authz-matrix] terminal connections:\n${cells.join("\n")}`);
  });

  it("refuses a token for another session or terminal, and a class's instructor in another class's session", async () => {
    // A token the web gave for one terminal of this session, presented for another session, or another terminal.
    for (const who of ["owner", "viewer", "instructor", "admin"] as const) {
      const issued = await people[who].api.session.terminalToken({ sessionId: shared, terminal: TERMINAL, mode: "type" });
      expect(await bench.tryConnect(issued.token, otherSession), who).toBe(refusal.otherSession);
      expect(await bench.tryConnect(issued.token, shared, "busybox1"), who).toBe(refusal.otherSession);
    }
    // The other class's session: its learner, its instructor and an admin get in; nobody of this class does.
    for (const who of PEOPLE) {
      const role = who === "other learner" ? DRIVER : who === "other instructor" || who === "admin" ? INSTRUCTOR : VIEWER;
      const client = await bench.tryConnect(await tokenAs(people[who], role, otherSession), otherSession);
      const allowed = who === "other learner" || who === "other instructor" || who === "admin";
      expect(outcomeOf(client), who).toBe(allowed ? "connected" : `refused (${refusal.sessionNotReady})`);
      if (typeof client !== "string") await bench.close(client);
    }
  });

  it("refuses an instructor whom an admin made a learner again, from the next call and the next connection", async () => {
    const demoted = people["other instructor"];
    const token = () => tokenAs(demoted, INSTRUCTOR, otherSession);
    const before = await bench.tryConnect(await token(), otherSession);
    expect(outcomeOf(before)).toBe("connected");
    if (typeof before !== "string") await bench.close(before);
    const setRole = (role: string) =>
      callTrpc("admin.setRole", { userId: demoted.id, role }, { cookie: people.admin.cookie, method: "POST", origin: ORIGIN });
    expect((await setRole("learner")).error).toBeUndefined();
    try {
      expect(outcomeOf(await bench.tryConnect(await token(), otherSession))).toBe(`refused (${refusal.sessionNotReady})`);
      const get = await callTrpc("session.get", { sessionId: otherSession }, { cookie: demoted.cookie, method: "GET" });
      expect(get.error?.code).toBe("NOT_FOUND");
      const book = await callTrpc(
        "grades.classBook",
        { classId: world.otherClass.classId },
        { cookie: demoted.cookie, method: "GET" },
      );
      expect(book.error?.code).toBe("NOT_FOUND");
    } finally {
      expect((await setRole("instructor")).error).toBeUndefined();
    }
  });

  it("applies each event for the roles that may send it, and refuses it for the others", async () => {
    // The owner's tab watches the shell and the presence; the instructor's tab holds the lock for release.
    const watcher = await connectAs({ who: "owner", role: DRIVER });
    const teacher = await connectAs({ who: "instructor", role: INSTRUCTOR });
    const handles = new Map<TerminalClient, string>();
    const ctx: ProbeContext = {
      bench,
      watcher,
      teacher,
      teacherHandle: people.instructor.handle,
      handleOf: (subject) => handles.get(subject)!,
      connectDriver: () => connectAs({ who: "driver", role: DRIVER }),
    };
    const cells: string[] = [];
    for (const event of CLIENT_EVENTS) {
      for (const subject of SUBJECTS) {
        const name = subjectName(subject);
        const client = await connectAs(subject);
        handles.set(client, people[subject.who].handle);
        const got = await PROBES[event](client, ctx);
        await bench.close(client, watcher);
        cells.push(`${event} × ${name}: ${got}`);
        expect(got, `${event} × ${name}`).toBe(EVENT_MATRIX[event].includes(name) ? "applied" : "refused");
      }
    }
    console.log(`[authz-matrix] terminal events:\n${cells.join("\n")}`);
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------
// Captures: the /capture namespace. Everyone who sees the session watches its captures; those who
// may type start and stop them (a viewer is read-only).

const CAPTURE_SUBJECTS: Record<"owner" | "driver" | "viewer" | "instructor" | "admin", TerminalRole> = {
  owner: DRIVER,
  driver: DRIVER,
  viewer: VIEWER,
  instructor: INSTRUCTOR,
  admin: INSTRUCTOR,
};
type CaptureSubject = keyof typeof CAPTURE_SUBJECTS;
const CONTROLS: readonly CaptureSubject[] = ["owner", "driver", "instructor", "admin"];
const CAPTURE_EVENT_MATRIX: Record<CaptureClientEvent, readonly CaptureSubject[]> = {
  start: CONTROLS,
  stop: CONTROLS,
  subscribe: Object.keys(CAPTURE_SUBJECTS) as CaptureSubject[],
};

describe("the authorisation matrix of captures (tokens and events)", () => {
  const clients: CaptureClient[] = [];
  afterAll(() => clients.forEach((c) => c.close()));

  async function captureClientOf(who: CaptureSubject): Promise<CaptureClient> {
    const issued = await people[who].api.capture.token({ sessionId: shared });
    expect(issued.role, who).toBe(CAPTURE_SUBJECTS[who]);
    expect(issued.canCapture, who).toBe(CONTROLS.includes(who));
    const client = await connectCapture(worker.port, { token: issued.token, sessionId: shared });
    clients.push(client);
    return client;
  }

  it("has an entry for every capture client event", () => {
    expect(Object.keys(CAPTURE_EVENT_MATRIX).sort()).toEqual([...CAPTURE_CLIENT_EVENTS].sort());
  });

  it("applies each capture event for the roles that may send it, and refuses it for the others", async () => {
    const owner = await captureClientOf("owner");
    // A capture with packets to follow: busybox1 pings its gateway (the session host's docker0).
    const kept = await owner.start("busybox1", "eth0");
    if (!kept.ok) throw new Error(kept.error.message);
    await engine.run(shared, "busybox1", ["sh", "-c", "ping -c 1 -W 2 $(ip route | awk '/default/ { print $3 }')"]);
    await eventually(
      "the kept capture's packets",
      () => (owner.captures().find((c) => c.id === kept.captureId)?.packets ?? 0) > 0,
    );
    expect(await owner.stop(kept.captureId)).toMatchObject({ ok: true });

    const outcome = (ack: { ok: boolean; error?: { code: string } }) =>
      ack.ok ? "applied" : ack.error?.code === "read-only" ? "refused" : `failed (${JSON.stringify(ack)})`;
    const probes: Record<CaptureClientEvent, (client: CaptureClient) => Promise<string>> = {
      start: async (client) => {
        const ack = await client.start("busybox1", "eth0");
        if (ack.ok) await owner.stop(ack.captureId);
        return outcome(ack);
      },
      stop: async (client) => {
        const running = await owner.start("busybox1", "eth0");
        if (!running.ok) throw new Error(running.error.message);
        const ack = await client.stop(running.captureId);
        if (!ack.ok) await owner.stop(running.captureId);
        return outcome(ack);
      },
      subscribe: async (client) => {
        client.subscribe(kept.captureId);
        await eventually(
          "the subscription's answer",
          () => client.packets(kept.captureId).length > 0 || client.errors.length > 0,
        );
        return client.packets(kept.captureId).length > 0 ? "applied" : `refused (${client.errors[0]?.message})`;
      },
    };
    const cells: string[] = [];
    // subscribe first: the starts and stops of the others end captures, and a session lists its most
    // recent ended ones only (the kept one would be pushed out).
    const events = [...CAPTURE_CLIENT_EVENTS].sort((a, b) => Number(b === "subscribe") - Number(a === "subscribe"));
    for (const event of events) {
      for (const who of Object.keys(CAPTURE_SUBJECTS) as CaptureSubject[]) {
        const client = await captureClientOf(who);
        const got = await probes[event](client);
        client.close();
        cells.push(`${event} × ${who}: ${got}`);
        expect(got, `${event} × ${who}`).toBe(CAPTURE_EVENT_MATRIX[event].includes(who) ? "applied" : "refused");
      }
    }
    console.log(`[authz-matrix] capture events:\n${cells.join("\n")}`);
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------
// The API: every procedure of the router.

/** The ids a procedure's input is made of, for the objects under test. */
type Ids = {
  sessionId: string;
  classId: string;
  assignmentId: string;
  submissionId: string;
  /** The session's owner (a learner of the class). */
  learnerId: string;
  /** An account that is neither instructor nor admin ("stranger"). */
  accountId: string;
  joinCode: string;
  /** A fresh invite link's token for the session. */
  invite: string;
};

/**
 * Objects of its own for a call that changes what later calls see (a stop, a new member, a new join
 * code): one for the entry, which those who must be refused call first (a refusal changes nothing,
 * so the others see the same state); "per caller": each allowed caller then gets another one (the
 * second of two instructors to remove the same learner would hear "not a learner" otherwise).
 */
type Fresh = "session" | "session per caller" | "class" | "class per caller";

type Entry = {
  input: (ids: Ids) => unknown;
  allowed: readonly Caller[];
  fresh?: Fresh;
  /** Holding the input (an invite, a join code) is what grants: its answer may name what it grants. */
  capability?: boolean;
  /** A subscription is read until a value satisfies this (its first value, unless told). */
  until?: (value: unknown) => boolean;
};

const SIGNED_IN: readonly Caller[] = PEOPLE;
/** Signed-up accounts; everyone else signed in is a guest. */
const ACCOUNTS: readonly Caller[] = ["stranger", "classmate", "instructor", "other instructor", "admin"];
const MEMBERS: readonly Caller[] = ["owner", "driver", "viewer"];
/** Who teaches the class (and so its sessions): its instructor and every admin. */
const TEACHERS: readonly Caller[] = ["instructor", "admin"];
/** Accounts that may create classes. */
const MAY_TEACH: readonly Caller[] = ["instructor", "other instructor", "admin"];
/** The learners of the class (the session's owner is one). */
const CLASS_LEARNERS: readonly Caller[] = ["owner", "classmate"];
const IN_CLASS: readonly Caller[] = [...CLASS_LEARNERS, ...TEACHERS];
/** Everyone who may see the session. */
const SEES_SESSION: readonly Caller[] = [...MEMBERS, ...TEACHERS];
/** Callers who have nothing to do with the session: no answer to them may name it or its owner. */
const OUTSIDERS: readonly Caller[] = ["guest", "stranger", "classmate", "other learner", "other instructor"];

/** A link impairment the matrix sets (small: the shared session's terminals stay quick). */
const LINK_SPEC = { delayMs: 1, jitterMs: 0, lossPct: 0, rateKbit: null };

/** What the instructor writes to the session's owner alone. */
const PRIVATE_MESSAGE = "Look at step 2 again, only you";
/** Who may read it: its recipient and those who teach the class. */
const READS_PRIVATE_MESSAGE: readonly Caller[] = ["owner", "instructor", "admin"];

/** Whose user ids each caller may be told. */
const SEES_IDS_OF: Record<Caller, readonly Caller[]> = {
  ...(Object.fromEntries(CALLERS.map((c) => [c, []])) as unknown as Record<Caller, readonly Caller[]>),
  instructor: CLASS_LEARNERS,
  "other instructor": ["other learner"],
  admin: PEOPLE,
};

const MATRIX: Record<string, Entry> = {
  "lab.list": { input: () => undefined, allowed: CALLERS },

  "account.me": { input: () => undefined, allowed: SIGNED_IN },
  // A wrong token: accounts are answered BAD_REQUEST (an admin CONFLICT), guests are refused.
  "account.redeemSetupToken": { input: () => ({ token: "not-the-setup-token" }), allowed: ACCOUNTS },
  "admin.users": { input: () => ({}), allowed: ["admin"] },
  "admin.setRole": { input: ({ accountId }) => ({ userId: accountId, role: "learner" }), allowed: ["admin"] },

  // Not about a session: any signed-in person may start one (each is torn down after).
  "session.start": { input: () => ({ labSlug: "bridge-basics" }), allowed: SIGNED_IN },
  "session.mine": { input: () => undefined, allowed: SIGNED_IN },
  "session.get": { input: ({ sessionId }) => ({ sessionId }), allowed: SEES_SESSION },
  "session.share": { input: ({ sessionId }) => ({ sessionId, role: "viewer" }), allowed: ["owner"] },
  // An invite is the capability: whoever signed in and holds one joins (no cookie: refused).
  "session.join": { input: ({ invite }) => ({ invite }), allowed: SIGNED_IN, fresh: "session", capability: true },
  // The learner's Stop; their instructor ends it with classroom.end.
  "session.stop": { input: ({ sessionId }) => ({ sessionId }), allowed: ["owner"], fresh: "session" },
  "session.terminalToken": { input: ({ sessionId }) => ({ sessionId, terminal: "host" }), allowed: SEES_SESSION },
  // Everyone who sees the session may watch its captures (a viewer's token cannot start one).
  "capture.token": { input: ({ sessionId }) => ({ sessionId }), allowed: SEES_SESSION },

  "grading.progress": { input: ({ sessionId }) => ({ sessionId }), allowed: SEES_SESSION },
  // The instructor may type in the learner's terminal, and check or show a solution as a driver may.
  "grading.check": {
    input: ({ sessionId }) => ({ sessionId, stepId: "builtin-networks" }),
    allowed: ["owner", "driver", ...TEACHERS],
  },
  "grading.submit": { input: ({ sessionId }) => ({ sessionId }), allowed: ["owner"] },
  "grading.revealSolution": {
    input: ({ sessionId }) => ({ sessionId, stepId: "builtin-networks" }),
    allowed: ["owner", "driver", ...TEACHERS],
  },

  "classes.create": { input: () => ({ name: "A class of the matrix" }), allowed: MAY_TEACH },
  "classes.list": { input: () => undefined, allowed: SIGNED_IN },
  "classes.get": { input: ({ classId }) => ({ classId }), allowed: IN_CLASS },
  "classes.rotateCode": { input: ({ classId }) => ({ classId }), allowed: TEACHERS, fresh: "class" },
  // A join code is the capability: whoever signed in and holds it joins (its learners are told they
  // are in it already, its instructor that they teach it).
  "classes.join": { input: ({ joinCode }) => ({ code: joinCode }), allowed: SIGNED_IN, fresh: "class", capability: true },
  // Its learners leave; its instructor (or an admin) is told they cannot.
  "classes.leave": { input: ({ classId }) => ({ classId }), allowed: IN_CLASS, fresh: "class" },
  "classes.removeLearner": {
    input: ({ classId, learnerId }) => ({ classId, userId: learnerId }),
    allowed: TEACHERS,
    fresh: "class per caller",
  },
  "classes.assign": { input: ({ classId }) => ({ classId, labSlug: "none" }), allowed: TEACHERS, fresh: "class" },
  "classes.updateAssignment": { input: ({ assignmentId }) => ({ assignmentId, extendAllowed: true }), allowed: TEACHERS },
  "classes.unassign": { input: ({ assignmentId }) => ({ assignmentId }), allowed: TEACHERS, fresh: "class per caller" },
  // Its learners only (the owner is given the session they have running).
  "classes.startAssignment": { input: ({ assignmentId }) => ({ assignmentId }), allowed: CLASS_LEARNERS },

  "grades.classBook": { input: ({ classId }) => ({ classId }), allowed: TEACHERS },
  "grades.submission": { input: ({ submissionId }) => ({ submissionId }), allowed: ["owner", ...TEACHERS] },
  "grades.mine": { input: () => undefined, allowed: SIGNED_IN },

  "classroom.raiseHelp": { input: ({ sessionId }) => ({ sessionId, message: "stuck on step 1" }), allowed: ["owner"] },
  "classroom.clearHelp": { input: ({ sessionId }) => ({ sessionId }), allowed: ["owner", ...TEACHERS] },
  // The assignment lets its learners extend, up to 240 minutes in all.
  "classroom.extend": { input: ({ sessionId }) => ({ sessionId }), allowed: ["owner", ...TEACHERS] },
  "classroom.message": {
    input: ({ classId, learnerId }) => ({ classId, toUserId: learnerId, body: PRIVATE_MESSAGE }),
    allowed: TEACHERS,
  },
  "classroom.reset": { input: ({ sessionId }) => ({ sessionId }), allowed: TEACHERS, fresh: "session per caller" },
  "classroom.end": { input: ({ sessionId }) => ({ sessionId }), allowed: TEACHERS, fresh: "session per caller" },

  // Link impairments: one interface, by those who may type in the session (never a viewer); the
  // class-wide one by those who teach the class (a fresh class: its setting stays set).
  "links.list": { input: ({ sessionId }) => ({ sessionId }), allowed: SEES_SESSION },
  "links.set": {
    input: ({ sessionId }) => ({ sessionId, container: "busybox1", iface: "eth0", spec: LINK_SPEC }),
    allowed: ["owner", "driver", ...TEACHERS],
  },
  "links.clear": {
    input: ({ sessionId }) => ({ sessionId, container: "busybox1", iface: "eth0" }),
    allowed: ["owner", "driver", ...TEACHERS],
  },
  "links.forClass": { input: ({ classId }) => ({ classId }), allowed: TEACHERS },
  "links.setForClass": { input: ({ classId }) => ({ classId, spec: LINK_SPEC }), allowed: TEACHERS, fresh: "class" },
  "links.clearForClass": { input: ({ classId }) => ({ classId }), allowed: TEACHERS },

  // The home's list of my own sessions: anyone signed in, about themselves only.
  "live.mine": { input: () => undefined, allowed: SIGNED_IN },
  // Read up to the class session's banners: a message to its learner reaches no one else.
  "live.session": {
    input: ({ sessionId }) => ({ sessionId }),
    allowed: SEES_SESSION,
    until: (value) => (value as { type: string }).type === "banners",
  },
  "live.class": { input: ({ classId }) => ({ classId }), allowed: TEACHERS },
};

const procedureType = (procedure: string) =>
  (appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)[procedure]!._def.type;

/** What a caller gets: "allowed" with the answer, the refusal's code, or "error: …" (the server failed). */
async function answer(
  procedure: string,
  who: Caller,
  input: unknown,
  until?: (value: unknown) => boolean,
): Promise<{ code: string; data?: unknown }> {
  const cookie = who === NO_COOKIE ? undefined : people[who].cookie;
  const got =
    procedureType(procedure) === "subscription"
      ? await within(subscribeOnce(procedure, input, cookie, until), 15_000, `${procedure}'s values for ${who}`)
      : await callTrpc(procedure, input, {
          cookie,
          method: procedureType(procedure) === "query" ? "GET" : "POST",
          origin: ORIGIN,
        });
  if (got.error && REFUSALS.includes(got.error.code)) return { code: got.error.code };
  if (got.error?.code === "INTERNAL_SERVER_ERROR") return { code: `error: ${got.error.message}` };
  return { code: "allowed", data: got.data ?? got.error };
}

describe("the authorisation matrix of the API", () => {
  // Who may call what does not depend on the worker: stopped here, the sessions this part starts
  // (about twenty) stay queued rather than loading the engine; the shared ones stay READY.
  beforeAll(() => stopWorker());

  it("has an entry for every procedure of the router, and none for a procedure it no longer has", () => {
    const procedures = Object.keys(appRouter._def.procedures).sort();
    expect(procedures).toEqual(Object.keys(MATRIX).sort());
  });

  it("answers every caller of every procedure as the matrix says, through the real route", async () => {
    const base: Ids = {
      sessionId: shared,
      classId: world.klass.classId,
      assignmentId: world.klass.assignmentId,
      submissionId: await submissionOf(shared),
      learnerId: people.owner.id,
      accountId: people.stranger.id,
      joinCode: world.klass.joinCode,
      invite: await inviteTo(people.owner, shared),
    };
    // Sent before any cell: every procedure that could show it to someone else is read with it there.
    await people.instructor.api.classroom.message({ classId: base.classId, toUserId: base.learnerId, body: PRIVATE_MESSAGE });
    /** The entry's own objects (a session that need not be running yet, or a class). */
    const own = async (fresh: Fresh | undefined): Promise<Ids> => {
      if (fresh === undefined) return base;
      if (fresh.startsWith("class")) {
        const { classId, assignmentId, joinCode } = await freshClass(world);
        return { ...base, classId, assignmentId, joinCode };
      }
      const sessionId = await classSession(world, { fresh: true, ready: false });
      return { ...base, sessionId, invite: await inviteTo(people.owner, sessionId) };
    };
    const cells: string[] = [];
    const leaks: string[] = [];
    const cell = async (procedure: string, entry: Entry, who: Caller, ids: Ids) => {
      const got = await answer(procedure, who, entry.input(ids), entry.until);
      const want = entry.allowed.includes(who) ? "allowed" : "refused";
      // An allowed call may still be answered no for another reason (a wrong setup token, a member
      // joining again): the log says which.
      const because = (got.data as { code?: string } | undefined)?.code;
      const allowed = because ? `allowed (then ${because})` : "allowed";
      cells.push(
        `${procedure} × ${who}: ${got.code === "allowed" ? allowed : REFUSALS.includes(got.code) ? `refused (${got.code})` : got.code}`,
      );
      expect(
        got.code === "allowed" || got.code.startsWith("error") ? got.code : "refused",
        `${procedure} × ${who} (${got.code})`,
      ).toBe(want);
      if (entry.capability) return;
      const text = JSON.stringify(got.data ?? null);
      if (OUTSIDERS.includes(who) && text.includes(ids.sessionId))
        leaks.push(`${procedure} × ${who} is told the session: ${text.slice(0, 300)}`);
      // A user id is never shown to other people (display names are), except to those who teach
      // them: they act on their learners by id (roster, messages), an admin on accounts.
      for (const other of PEOPLE)
        if (other !== who && text.includes(people[other].id) && !SEES_IDS_OF[who].includes(other))
          leaks.push(`${procedure} × ${who} is told the user id of ${other}: ${text.slice(0, 300)}`);
      if (!READS_PRIVATE_MESSAGE.includes(who) && text.includes(PRIVATE_MESSAGE))
        leaks.push(`${procedure} × ${who} reads the instructor's message to the owner: ${text.slice(0, 300)}`);
      const code = [ids.joinCode, `${ids.joinCode.slice(0, 5)}-${ids.joinCode.slice(5)}`];
      if (!TEACHERS.includes(who) && code.some((c) => text.includes(c)))
        leaks.push(`${procedure} × ${who} is told the class's join code: ${text.slice(0, 300)}`);
    };
    for (const [procedure, entry] of Object.entries(MATRIX)) {
      const ids = await own(entry.fresh);
      // Those who must be refused go first, together: a refusal changes nothing.
      await Promise.all(CALLERS.filter((c) => !entry.allowed.includes(c)).map((who) => cell(procedure, entry, who, ids)));
      if (entry.fresh?.endsWith("per caller"))
        await Promise.all(entry.allowed.map(async (who) => cell(procedure, entry, who, await own(entry.fresh))));
      else if (entry.fresh || procedureType(procedure) === "mutation")
        for (const who of entry.allowed) await cell(procedure, entry, who, ids);
      else await Promise.all(entry.allowed.map((who) => cell(procedure, entry, who, ids)));
    }
    // No cookie is always UNAUTHORIZED (never a hint that something exists), except public procedures.
    expect(cells.filter((c) => c.includes(`× ${NO_COOKIE}: refused`) && !c.endsWith("(UNAUTHORIZED)"))).toEqual([]);
    // Nobody is told what is not theirs to know.
    expect(leaks).toEqual([]);
    console.log(`[authz-matrix] ${cells.length} cells:\n${cells.sort().join("\n")}`);
  }, 120_000);

  it("keeps a lab a learner of the class started alone from their instructor and from admins", async () => {
    // Only a session started for a class is its instructor's (and an admin's): every procedure that
    // takes a session refuses them one that its learner started on their own.
    const alone = (await people.owner.api.session.start({ labSlug: "bridge-basics" })).id;
    const ids: Ids = {
      sessionId: alone,
      classId: world.klass.classId,
      assignmentId: world.klass.assignmentId,
      submissionId: await submissionOf(alone),
      learnerId: people.owner.id,
      accountId: people.stranger.id,
      joinCode: world.klass.joinCode,
      invite: "",
    };
    const takesSession = Object.entries(MATRIX).filter(
      ([, entry]) => JSON.stringify(entry.input(ids)) !== JSON.stringify(entry.input({ ...ids, sessionId: shared })),
    );
    expect(takesSession.length).toBeGreaterThan(10);
    const cells: string[] = [];
    for (const [procedure, entry] of takesSession) {
      for (const who of TEACHERS) cells.push(`${procedure} × ${who}: ${(await answer(procedure, who, entry.input(ids))).code}`);
    }
    expect(cells.filter((c) => !c.endsWith(": NOT_FOUND"))).toEqual([]);
    // Its submission too.
    for (const who of TEACHERS)
      expect((await answer("grades.submission", who, { submissionId: ids.submissionId })).code).toBe("NOT_FOUND");
  });
});
