// A small classroom for tests that ask "who may do what": an instructor with a class (an assignment,
// two learners), another instructor with another class (one learner), an admin, a guest and an
// account in no class, and sessions that learners of the class start for its assignment, each with a
// driver and a viewer invited. Classes are made through the procedures when the router has them, and
// written to the database until then (the rows are the same).
import { appRouter } from "~/server/api/root";
import { Status } from "~/protocol/sessionStatus";
import { ADMIN, TEACHER } from "~/protocol/accountRoles";
import { newJoinCode } from "~/core/classes/joinCode";
import { db, engine, waitForStatus } from "./harness";
import { person, type Person } from "./people";

/** The fixture lab the class is assigned (test/fixtures/labs): a host and one container. */
export const CLASS_LAB = "bridge-basics";

export const PEOPLE = [
  "guest",
  "stranger",
  "owner",
  "driver",
  "viewer",
  "classmate",
  "other learner",
  "instructor",
  "other instructor",
  "admin",
] as const;
export type PersonName = (typeof PEOPLE)[number];

export type ClassRefs = { classId: string; assignmentId: string; joinCode: string };

export type World = {
  people: Record<PersonName, Person>;
  /** The class the sessions under test belong to (taught by "instructor"; owner and classmate learn in it). */
  klass: ClassRefs;
  /** Another instructor's class ("other learner" learns in it). */
  otherClass: ClassRefs;
};

const has = (procedure: string) => procedure in appRouter._def.procedures;

/** Calls a procedure that may not be in the router's type yet (it is checked to exist first). */
async function call(who: Person, procedure: string, input: unknown): Promise<unknown> {
  const [router, name] = procedure.split(".") as [string, string];
  const api = who.api as unknown as Record<string, Record<string, (input: unknown) => Promise<unknown>>>;
  return api[router]![name]!(input);
}

/** A class the teacher creates, with CLASS_LAB assigned (learners may extend their time). */
export async function makeClass(teacher: Person, name = "Networks 101"): Promise<ClassRefs> {
  let classId: string;
  if (has("classes.create")) classId = ((await call(teacher, "classes.create", { name })) as { id: string }).id;
  else {
    const expires = new Date(Date.now() + 14 * 24 * 3600_000);
    classId = (
      await db().class.create({ data: { name, instructorId: teacher.id, joinCode: newJoinCode(), joinCodeExpiresAt: expires } })
    ).id;
  }
  if (has("classes.assign"))
    await call(teacher, "classes.assign", { classId, labSlug: CLASS_LAB, extendAllowed: true, maxExtensionMinutes: 240 });
  else await db().assignment.create({ data: { classId, labSlug: CLASS_LAB, extendAllowed: true, maxExtensionMinutes: 240 } });
  const { joinCode, assignments } = await db().class.findUniqueOrThrow({
    where: { id: classId },
    include: { assignments: true },
  });
  return { classId, assignmentId: assignments[0]!.id, joinCode };
}

/** Puts the learner in the class (through its join code when classes.join exists). */
export async function enrol(who: Person, klass: ClassRefs): Promise<void> {
  if (has("classes.join")) await call(who, "classes.join", { code: klass.joinCode });
  else await db().classMember.create({ data: { classId: klass.classId, userId: who.id } });
}

/** A class of the world's instructor like the world's own (owner and classmate learn in it), for a call that changes it. */
export async function freshClass(world: World): Promise<ClassRefs> {
  const klass = await makeClass(world.people.instructor, "Networks 101 (another group)");
  await enrol(world.people.owner, klass);
  await enrol(world.people.classmate, klass);
  return klass;
}

/** Everyone, both classes, their assignments and members. */
export async function buildWorld(): Promise<World> {
  const names = PEOPLE;
  const made = await Promise.all(
    names.map((name) =>
      person({
        name: `The ${name}`,
        ...(name === "admin"
          ? { role: ADMIN }
          : name.endsWith("instructor")
            ? { role: TEACHER }
            : // An account in no class, and a learner of the class who signed up; the others are guests.
              { account: name === "stranger" || name === "classmate" }),
      }),
    ),
  );
  const people = Object.fromEntries(names.map((name, i) => [name, made[i]!])) as Record<PersonName, Person>;
  const [klass, otherClass] = await Promise.all([
    makeClass(people.instructor, "Networks 101"),
    makeClass(people["other instructor"], "Networks 102"),
  ]);
  await enrol(people.owner, klass);
  await enrol(people.classmate, klass);
  await enrol(people["other learner"], otherClass);
  return { people, klass, otherClass };
}

/** An invite link's token for the session (the owner shares it). */
export async function inviteTo(owner: Person, sessionId: string, role: "driver" | "viewer" = "viewer"): Promise<string> {
  const { path } = await owner.api.session.share({ sessionId, role });
  return new URL(path, "http://x").searchParams.get("invite")!;
}

/**
 * A session the learner starts for the class's assignment, READY, with `driver` and `viewer`
 * invited (`ready: false`: not waited for). `fresh`: a session of its own (started alone, then given the class's fields), for a call
 * that changes it; otherwise classes.startAssignment when it exists (which reuses a running one).
 */
export async function classSession(
  world: World,
  options: { owner?: Person; klass?: ClassRefs; fresh?: boolean; ready?: boolean } = {},
): Promise<string> {
  const owner = options.owner ?? world.people.owner;
  const klass = options.klass ?? world.klass;
  let sessionId: string;
  if (!options.fresh && has("classes.startAssignment"))
    sessionId = ((await call(owner, "classes.startAssignment", { assignmentId: klass.assignmentId })) as { id: string }).id;
  else {
    sessionId = (await owner.api.session.start({ labSlug: CLASS_LAB })).id;
    await db().labSession.update({
      where: { id: sessionId },
      data: { classId: klass.classId, assignmentId: klass.assignmentId },
    });
  }
  if (owner === world.people.owner) {
    for (const role of ["driver", "viewer"] as const)
      await world.people[role].api.session.join({ invite: await inviteTo(owner, sessionId, role) });
  }
  if (options.ready ?? true) await waitForStatus(sessionId, [Status.ready]);
  return sessionId;
}

/** A stored submission of the session (its owner's), for procedures that read one. */
export async function submissionOf(sessionId: string): Promise<string> {
  const session = await db().labSession.findUniqueOrThrow({ where: { id: sessionId } });
  const attempt = (await db().submission.count({ where: { sessionId } })) + 1;
  const row = await db().submission.create({
    // A minute ago: a submission made now would hold the session's next one back (10 s apart).
    data: {
      sessionId,
      userId: session.ownerId,
      labSlug: session.labSlug,
      attempt,
      score: 0,
      maxScore: 1,
      results: [],
      createdAt: new Date(Date.now() - 60_000),
    },
  });
  return row.id;
}

/** Tears down every session this file's database holds (its own database: nobody else's). */
export async function teardownAllSessions(): Promise<void> {
  const sessions = await db().labSession.findMany({ select: { id: true } });
  await Promise.all(sessions.map(({ id }) => engine.teardown(id).catch(() => undefined)));
}
