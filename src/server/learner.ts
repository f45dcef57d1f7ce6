// Until accounts (better-auth) arrive, a learner is identified by a random id in an http-only
// cookie. The id is a bearer secret: 122 random bits, never shown to other users.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Learner } from "~/server/api/trpc";

export const LEARNER_COOKIE = "netlab_learner";
const ONE_YEAR_SECONDS = 365 * 24 * 3600;

export function learnerFromCookies(cookieHeader: string | null): { learner: Learner; setCookie?: string } {
  const value = cookieHeader
    ?.split(";")
    .map((part) => part.trim().split("="))
    .find(([name]) => name === LEARNER_COOKIE)?.[1];
  if (value && z.uuid().safeParse(value).success) return { learner: { id: value } };
  const id = randomUUID();
  return {
    learner: { id },
    setCookie: `${LEARNER_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${ONE_YEAR_SECONDS}`,
  };
}
