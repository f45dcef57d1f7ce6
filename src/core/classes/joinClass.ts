import type { Db } from "~/core/db";
import { AppError } from "~/core/errors";
import { Prisma } from "~/generated/prisma/client";
import type { Actor } from "~/core/access/classes";
import { INVALID_JOIN_CODE, normaliseJoinCode } from "./joinCode";
import { joinLimiter as defaultLimiter, tooManyJoinAttempts, type JoinLimiter } from "./joinLimiter";

/**
 * A learner (a guest too) joins the class whose code they typed or followed. Wrong and expired
 * codes count against the user's and the address's attempts (src/core/classes/joinLimiter.ts);
 * while either is full every attempt is refused, the right code included.
 */
export async function joinClass(options: {
  db: Db;
  actor: Actor;
  code: string;
  /** The client's address, when a trusted proxy names it. */
  address?: string;
  limiter?: JoinLimiter;
}): Promise<{ classId: string; name: string }> {
  const { db, actor } = options;
  const limiter = options.limiter ?? defaultLimiter;
  const attempt = { userId: actor.id, address: options.address };
  const wait = limiter.retryAfterSeconds(attempt);
  if (wait > 0) throw new AppError("LIMIT_EXCEEDED", tooManyJoinAttempts(wait));

  const code = normaliseJoinCode(options.code);
  const klass = code ? await db.class.findUnique({ where: { joinCode: code } }) : null;
  if (!klass || klass.joinCodeExpiresAt.getTime() <= Date.now()) {
    limiter.recordFailure(attempt);
    throw new AppError("BAD_REQUEST", INVALID_JOIN_CODE);
  }
  if (actor.id === klass.instructorId)
    throw new AppError("CONFLICT", `You teach ${klass.name}: this code is for its learners, and you have the class already.`);
  try {
    await db.classMember.create({ data: { classId: klass.id, userId: actor.id } });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")
      throw new AppError("CONFLICT", `You are already in ${klass.name}.`);
    throw error;
  }
  return { classId: klass.id, name: klass.name };
}
