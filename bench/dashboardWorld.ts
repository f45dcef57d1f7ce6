// The dashboard benchmark's class: one instructor (an existing user made an instructor account),
// one class, one assignment of a fixture lab, and `learners` learners, each a member with a READY
// session of the assignment (nothing provisioned: no worker runs). Sessions store their lab as
// startSession does (sessionLabColumns), so every reader's labOfSession works.
import { randomBytes, randomUUID } from "node:crypto";
import type { Db } from "~/core/db";
import { findLab } from "~/core/labs/catalog";
import { sessionLabColumns } from "~/core/labs/sessionLab";
import { newSessionParams } from "~/core/sessions/sessionParams";
import { TEACHER } from "~/protocol/accountRoles";
import { Status } from "~/protocol/sessionStatus";

export type ClassWorld = { classId: string; assignmentId: string; sessionIds: string[] };

export async function createClassWorld(
  db: Db,
  options: { instructorId: string; learners: number; labSlug: string },
): Promise<ClassWorld> {
  const lab = findLab(options.labSlug);
  if (!lab) throw new Error(`no lab ${options.labSlug} in LABS_DIR`);
  // An account, not a guest: only accounts teach.
  await db.user.update({
    where: { id: options.instructorId },
    data: {
      role: TEACHER,
      isAnonymous: false,
      name: "Bench Instructor",
      email: `instructor-${options.instructorId}@bench.invalid`,
    },
  });
  const classId = randomUUID();
  const assignmentId = randomUUID();
  await db.class.create({
    data: {
      id: classId,
      name: "Benchmark class",
      instructorId: options.instructorId,
      joinCode: randomBytes(8).toString("hex"),
      joinCodeExpiresAt: new Date(Date.now() + 86_400_000),
    },
  });
  await db.assignment.create({ data: { id: assignmentId, classId, labSlug: lab.slug, timeLimitMinutes: 120 } });
  const users = Array.from({ length: options.learners }, (_, i) => ({
    id: randomUUID(),
    name: `learner-${String(i + 1).padStart(3, "0")}`,
    email: `learner-${i + 1}-${classId}@bench.invalid`,
    isAnonymous: true,
  }));
  await db.user.createMany({ data: users });
  await db.classMember.createMany({ data: users.map((u) => ({ classId, userId: u.id })) });
  const now = Date.now();
  const sessions = users.map((u) => ({
    id: randomUUID(),
    labSlug: lab.slug,
    ownerId: u.id,
    status: Status.ready,
    readyAt: new Date(now),
    expiresAt: new Date(now + 120 * 60_000),
    params: newSessionParams(),
    ...sessionLabColumns(lab),
    classId,
    assignmentId,
  }));
  await db.labSession.createMany({ data: sessions });
  return { classId, assignmentId, sessionIds: sessions.map((s) => s.id) };
}
