// The instructor's class-wide impairment (links.setForClass / links.clearForClass): one setting
// per class, applied by each running session's worker to every learner container on that
// session's default bridge, and to sessions that start or gain containers while it is set.
import type { Db } from "~/core/db";
import type { Boss } from "~/core/jobs/boss";
import { getTaughtClass, type Actor } from "~/core/access/classes";
import type { LinkSpec } from "~/protocol/linkSpec";
import { Status } from "~/protocol/sessionStatus";
import { classSpecOf, columnsOf } from "./linkStore";
import { enqueueLinks } from "./sessionLinks";

type Request = { db: Db; boss: Boss; actor: Actor; classId: string };

/** Every running session of the class reconciles its links (its class's setting changed). */
async function reconcileClassSessions(db: Db, boss: Boss, classId: string): Promise<void> {
  const sessions = await db.labSession.findMany({
    where: { classId, status: Status.ready },
    select: { id: true, workerId: true },
  });
  for (const session of sessions) await enqueueLinks(boss, session);
}

export async function setClassLink(options: Request & { spec: LinkSpec }): Promise<LinkSpec> {
  const { db, actor, classId, spec } = options;
  await getTaughtClass(db, actor, classId);
  await db.classImpairment.upsert({
    where: { classId },
    create: { classId, ...columnsOf(spec), setBy: actor.id },
    update: { ...columnsOf(spec), setBy: actor.id },
  });
  await reconcileClassSessions(db, options.boss, classId);
  return spec;
}

/** Removes the class's impairment (none set: a no-op). */
export async function clearClassLink(options: Request): Promise<null> {
  const { db, classId } = options;
  await getTaughtClass(db, options.actor, classId);
  const { count } = await db.classImpairment.deleteMany({ where: { classId } });
  if (count > 0) await reconcileClassSessions(db, options.boss, classId);
  return null;
}

/** The class's impairment while set, for its instructor's dashboard. */
export async function getClassLink(options: { db: Db; actor: Actor; classId: string }): Promise<LinkSpec | null> {
  await getTaughtClass(options.db, options.actor, options.classId);
  return classSpecOf(options.db, options.classId);
}
