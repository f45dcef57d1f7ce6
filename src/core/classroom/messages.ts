// Messages from a class's instructor: to the whole class (toUserId null) or to one of its
// learners. A learner's session page shows them as banners: those to the class or to them, sent
// since the session started, newest last, at most BANNERS_MAX.
import type { Db } from "~/core/db";
import { AppError } from "~/core/errors";
import { getTaughtClass, type Actor } from "~/core/access/classes";

export const MESSAGE_MAX = 500;
export const BANNERS_MAX = 20;

export type Banner = { id: string; body: string; toYou: boolean; sentAt: Date };

export async function sendClassMessage(options: {
  db: Db;
  actor: Actor;
  classId: string;
  toUserId?: string;
  body: string;
}): Promise<{ id: string; sentAt: Date }> {
  const { db, actor } = options;
  const klass = await getTaughtClass(db, actor, options.classId);
  const body = options.body.trim();
  if (body.length === 0 || body.length > MESSAGE_MAX)
    throw new AppError("BAD_REQUEST", `A message needs 1 to ${MESSAGE_MAX} characters (it has ${body.length}).`);
  if (options.toUserId) {
    const member = await db.classMember.findUnique({
      where: { classId_userId: { classId: klass.id, userId: options.toUserId } },
    });
    if (!member)
      throw new AppError("NOT_FOUND", `That learner is not in ${klass.name}: choose one of its learners, or send to everyone.`);
  }
  const message = await db.classMessage.create({
    data: { classId: klass.id, toUserId: options.toUserId ?? null, fromId: actor.id, body },
  });
  return { id: message.id, sentAt: message.createdAt };
}

/** The banners of a class session's learner (the caller checked access to the session). */
export async function readBanners(
  db: Db,
  session: { classId: string | null; ownerId: string; createdAt: Date },
): Promise<Banner[]> {
  if (!session.classId) return [];
  const rows = await db.classMessage.findMany({
    where: {
      classId: session.classId,
      createdAt: { gte: session.createdAt },
      OR: [{ toUserId: null }, { toUserId: session.ownerId }],
    },
    orderBy: { createdAt: "desc" },
    take: BANNERS_MAX,
  });
  return rows.reverse().map((m) => ({ id: m.id, body: m.body, toYou: m.toUserId !== null, sentAt: m.createdAt }));
}

/** Whether a class message (its recipient, as the push channel says) is one of this learner's banners. */
export const isBannerFor = (ownerId: string, toUserId: string | null) => toUserId === null || toUserId === ownerId;
