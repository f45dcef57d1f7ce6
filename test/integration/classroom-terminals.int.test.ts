// An instructor in a learner's terminals, through the real gateway and a real container: watching
// (the default) is read-only; typing mode plus takeover makes the learner read-only until release;
// a takeover ends with its holder's last typing connection; the learner's typing records the
// session's activity (at most every 15 s, never the keys); an instructor of another class gets no
// token and cannot connect with a forged role.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newJoinCode } from "~/core/classes/joinCode";
import { signTerminalToken } from "~/core/sessions/terminalToken";
import { TEACHER } from "~/protocol/accountRoles";
import { INSTRUCTOR, VIEWER } from "~/protocol/roles";
import type { RunningWorker } from "../../worker/app";
import {
  connectTerminal,
  db,
  engine,
  eventually,
  testWorker,
  waitForStatus,
  within,
  type TerminalClient,
} from "../support/harness";
import { person, type Person } from "../support/people";
import { refused } from "../support/refused";

const TERMINAL = "busybox1";
let worker: RunningWorker;
let sessionId: string;
let learner: Person, teacher: Person, otherTeacher: Person;
const open: TerminalClient[] = [];

async function connect(who: Person, mode?: "watch" | "type") {
  const issued = await who.api.session.terminalToken({ sessionId, terminal: TERMINAL, ...(mode ? { mode } : {}) });
  const client = await connectTerminal(worker.port, { token: issued.token, sessionId, terminal: TERMINAL });
  open.push(client);
  return { client, role: issued.role, canTakeOver: issued.canTakeOver };
}

const errorOf = (client: TerminalClient) =>
  within(new Promise<{ code: string; message: string }>((resolve) => client.once("error", resolve)), 10_000, "an error event");

const lockedBy = (client: TerminalClient, handle: string | null) =>
  within(
    new Promise<void>((resolve) => client.on("presence", (p) => p.lockedBy === handle && resolve())),
    10_000,
    `the lock to be ${handle ?? "released"}`,
  );

beforeAll(async () => {
  worker = await testWorker();
  [learner, teacher, otherTeacher] = await Promise.all([person(), person({ role: TEACHER }), person({ role: TEACHER })]);
  const expires = new Date(Date.now() + 86_400_000);
  const [classId, otherClassId] = await Promise.all(
    [teacher, otherTeacher].map(
      async (t, i) =>
        (
          await db().class.create({
            data: { name: `Class ${i}`, instructorId: t.id, joinCode: newJoinCode(), joinCodeExpiresAt: expires },
          })
        ).id,
    ),
  );
  const assignmentId = (await db().assignment.create({ data: { classId: classId!, labSlug: "network-modes" } })).id;
  await db().assignment.create({ data: { classId: otherClassId!, labSlug: "network-modes" } });
  await db().classMember.create({ data: { classId: classId!, userId: learner.id } });
  sessionId = (await learner.api.session.start({ labSlug: "network-modes" })).id;
  await db().labSession.update({ where: { id: sessionId }, data: { classId, assignmentId } });
  await waitForStatus(sessionId, ["READY"]);
});

afterAll(async () => {
  for (const c of open) c.close();
  await worker?.stop();
  await engine.teardown(sessionId);
});

describe("an instructor in a learner's terminal", () => {
  it("the learner's typing records the session's last activity", async () => {
    // First in the file: nobody has typed in this session yet (the gateway writes at most every 15 s).
    expect((await db().labSession.findUniqueOrThrow({ where: { id: sessionId } })).lastActivityAt).toBeNull();
    const own = await connect(learner);
    own.client.type("echo active\n");
    const row = await eventually("lastActivityAt to be written", async () => {
      const r = await db().labSession.findUniqueOrThrow({ where: { id: sessionId } });
      if (!r.lastActivityAt) throw new Error("not yet");
      return r;
    });
    const first = row.lastActivityAt!.getTime();
    own.client.type("echo more\n");
    await own.client.waitForOutput(/more\r\n/);
    const again = await db().labSession.findUniqueOrThrow({ where: { id: sessionId } });
    expect(again.lastActivityAt!.getTime()).toBe(first); // within 15 s: not written again
    own.client.close();
  });

  it("watches read-only by default: their keys are refused and never reach the shell", async () => {
    const watcher = await connect(teacher);
    expect(watcher.role).toBe(VIEWER);
    expect(watcher.canTakeOver).toBe(true);
    const own = await connect(learner);
    expect(own.canTakeOver).toBe(false);
    const refusal = errorOf(watcher.client);
    watcher.client.type("echo watcher-$((2*21))\n");
    expect(await refusal).toMatchObject({ code: "read-only" });
    own.client.type("echo learner-$((5*5))\n");
    await watcher.client.waitForOutput(/learner-25\r\n/);
    expect(watcher.client.screen()).not.toMatch(/watcher-42/);
    watcher.client.close();
    own.client.close();
  });

  it("takes over in typing mode (the learner is read-only), and hands back", async () => {
    const typing = await connect(teacher, "type");
    expect(typing.role).toBe(INSTRUCTOR);
    const own = await connect(learner);
    const locked = lockedBy(own.client, teacher.handle);
    typing.client.emit("takeover");
    await locked;
    const refusal = errorOf(own.client);
    own.client.type("echo learner-typed\n");
    expect(await refusal).toMatchObject({ code: "read-only", message: expect.stringContaining("instructor has taken over") });
    typing.client.type("echo teacher-$((3*3))\n");
    await own.client.waitForOutput(/teacher-9\r\n/);
    const released = lockedBy(own.client, null);
    typing.client.emit("release");
    await released;
    own.client.type("echo learner-again-$((1+1))\n");
    await typing.client.waitForOutput(/learner-again-2\r\n/);
    typing.client.close();
    own.client.close();
  });

  it("a takeover ends when the instructor's last typing connection closes: the learner types again, presence says so", async () => {
    const typing = await connect(teacher, "type");
    const watching = await connect(teacher); // their read-only view holds no lock
    const own = await connect(learner);
    const locked = lockedBy(own.client, teacher.handle);
    typing.client.emit("takeover");
    await locked;
    const released = lockedBy(own.client, null);
    typing.client.close(); // gone for good, without handing back
    await released;
    own.client.type("echo free-again-$((6*7))\n");
    await watching.client.waitForOutput(/free-again-42\r\n/);
    watching.client.close();
    own.client.close();
  });

  it("an instructor of another class gets no token, and a forged instructor token is refused", async () => {
    expect(await refused(otherTeacher.api.session.terminalToken({ sessionId, terminal: TERMINAL, mode: "type" }))).toMatchObject({
      code: "NOT_FOUND",
    });
    const forged = await signTerminalToken(process.env.TERMINAL_TOKEN_SECRET!, {
      sub: otherTeacher.id,
      sid: sessionId,
      terminal: TERMINAL,
      role: INSTRUCTOR,
      cid: "forged-client-id-0123456789",
      handle: otherTeacher.handle,
    });
    await expect(connectTerminal(worker.port, { token: forged, sessionId, terminal: TERMINAL })).rejects.toThrow();
  });
});
