// A guest who signs up (or signs in) keeps their work: every row of the anonymous user moves to
// the account in one transaction. Called by better-auth's anonymous plugin (onLinkAccount in
// src/server/auth/auth.ts); the guest's user row is then deleted by the plugin (its sessions with it).
import type { Db } from "~/core/db";

export type GuestTransfer = {
  sessionsOwned: number;
  memberships: number;
  submissions: number;
  checkRuns: number;
  reveals: number;
  classes: number;
  messages: number;
};

/**
 * Moves everything `guestId` owns or took part in to `accountId`. A membership the account already
 * has (of a shared session or a class) is kept and the guest's copy dropped, and so is the guest's
 * membership of a class the account teaches; a membership of a
 * session the account now owns is dropped (the owner needs none). Idempotent: a second call moves nothing.
 */
export async function transferGuest(db: Db, guestId: string, accountId: string): Promise<GuestTransfer> {
  if (guestId === accountId) throw new Error("transferGuest: the guest and the account are the same user");
  return db.$transaction(async (tx) => {
    const sessionsOwned = (await tx.labSession.updateMany({ where: { ownerId: guestId }, data: { ownerId: accountId } })).count;
    // Memberships: the account's own sessions need none; a session both were members of keeps the account's.
    await tx.sessionMember.deleteMany({ where: { userId: { in: [guestId, accountId] }, session: { ownerId: accountId } } });
    const accountSessions = (await tx.sessionMember.findMany({ where: { userId: accountId }, select: { sessionId: true } })).map(
      (m) => m.sessionId,
    );
    await tx.sessionMember.deleteMany({ where: { userId: guestId, sessionId: { in: accountSessions } } });
    const memberships = (await tx.sessionMember.updateMany({ where: { userId: guestId }, data: { userId: accountId } })).count;
    const submissions = (await tx.submission.updateMany({ where: { userId: guestId }, data: { userId: accountId } })).count;
    const checkRuns = (await tx.checkRun.updateMany({ where: { requestedBy: guestId }, data: { requestedBy: accountId } })).count;
    const reveals = (await tx.solutionReveal.updateMany({ where: { userId: guestId }, data: { userId: accountId } })).count;
    const accountClasses = (await tx.classMember.findMany({ where: { userId: accountId }, select: { classId: true } })).map(
      (m) => m.classId,
    );
    // A class the account teaches is not one it learns in (an instructor signing in from a browser
    // whose guest joined their class would otherwise sit in their own roster and gradebook).
    await tx.classMember.deleteMany({
      where: { userId: guestId, OR: [{ classId: { in: accountClasses } }, { class: { instructorId: accountId } }] },
    });
    const classes = (await tx.classMember.updateMany({ where: { userId: guestId }, data: { userId: accountId } })).count;
    const messages = (await tx.classMessage.updateMany({ where: { toUserId: guestId }, data: { toUserId: accountId } })).count;
    return { sessionsOwned, memberships, submissions, checkRuns, reveals, classes, messages };
  });
}
