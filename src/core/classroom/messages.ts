// Messages from a class's instructor: to the whole class (toUserId null) or to one of its
// learners. A class session's page shows them as banners, each only to its recipients (readBanners),
// sent since the session started, newest last, at most BANNERS_MAX.
import type { Db } from "~/core/db";
import { AppError } from "~/core/errors";
import { findClassAccess, getTaughtClass, type Actor } from "~/core/access/classes";
import { parseAccountRole } from "~/protocol/accountRoles";

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

/**
 * The banners a person on a class session's page reads (the caller checked their access to the
 * session): the messages addressed to them, and those to the whole class when they are in it (a
 * learner of it, its instructor or an admin). Someone the owner invited to the session (a driver
 * or viewer, maybe of another class) reads none of the owner's private messages, nor another
 * class's messages. Sent since the session started, newest last, at most BANNERS_MAX.
 */
export async function readBanners(
  db: Db,
  session: { classId: string | null; createdAt: Date },
  /** Who reads them. */
  viewerId: string,
): Promise<Banner[]> {
  if (!session.classId) return [];
  const viewer = await db.user.findUnique({ where: { id: viewerId }, select: { id: true, role: true } });
  if (!viewer) return [];
  const inClass = await findClassAccess(db, { id: viewer.id, role: parseAccountRole(viewer.role) }, session.classId);
  const rows = await db.classMessage.findMany({
    where: {
      classId: session.classId,
      createdAt: { gte: session.createdAt },
      OR: inClass ? [{ toUserId: null }, { toUserId: viewer.id }] : [{ toUserId: viewer.id }],
    },
    orderBy: { createdAt: "desc" },
    take: BANNERS_MAX,
  });
  return rows.reverse().map((m) => ({ id: m.id, body: m.body, toYou: m.toUserId !== null, sentAt: m.createdAt }));
}

/**
 * Whether a class message (its recipient, as the push channel says) may be one of this viewer's
 * banners: a wake-up only, readBanners decides what they read.
 */
export const isBannerFor = (viewerId: string, toUserId: string | null) => toUserId === null || toUserId === viewerId;
