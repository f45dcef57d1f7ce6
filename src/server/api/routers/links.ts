// Link impairments (issue 15): one interface of a session's container (owner, drivers, the class's
// instructor), and the instructor's class-wide setting on every class session's default bridge.
// Each calls one core service in src/core/links/, which checks access through src/core/access/.
import "server-only";
import { z } from "zod";
import type { Actor } from "~/core/access/classes";
import { clearClassLink, getClassLink, setClassLink } from "~/core/links/classLinks";
import { clearLink, listLinks, setLink } from "~/core/links/sessionLinks";
import { linkSpecSchema } from "~/protocol/linkSpec";
import { sessionIdInput } from "~/server/api/routers/inputs";
import { createTRPCRouter, learnerProcedure } from "~/server/api/trpc";

const actorOf = (learner: { id: string; role: Actor["role"] }): Actor => ({ id: learner.id, role: learner.role });

/** Checked by the service against the session (which containers and interfaces it has); here only their shape. */
const placeInput = sessionIdInput.extend({
  container: z.string({ error: "container must be the name of one of the session's containers" }).max(64),
  iface: z.string({ error: "iface must be an interface name, e.g. eth0" }).max(64),
});
const classIdInput = z.object({ classId: z.uuid("classId must be a class id (a UUID)") });

export const linksRouter = createTRPCRouter({
  /** The session's impaired interfaces (anyone who may see the session). */
  list: learnerProcedure
    .input(sessionIdInput)
    .query(({ ctx, input }) => listLinks({ db: ctx.db, userId: ctx.learner.id, sessionId: input.sessionId })),

  /** Sets one interface's impairment (replacing what it had); the worker applies it. */
  set: learnerProcedure
    .input(placeInput.extend({ spec: linkSpecSchema }))
    .mutation(({ ctx, input }) => setLink({ db: ctx.db, boss: ctx.boss, userId: ctx.learner.id, ...input })),

  /** Removes one interface's impairment. */
  clear: learnerProcedure
    .input(placeInput)
    .mutation(({ ctx, input }) => clearLink({ db: ctx.db, boss: ctx.boss, userId: ctx.learner.id, ...input })),

  /** The class's impairment while set (its instructor or an admin). */
  forClass: learnerProcedure
    .input(classIdInput)
    .query(({ ctx, input }) => getClassLink({ db: ctx.db, actor: actorOf(ctx.learner), classId: input.classId })),

  /** Impairs every learner container on the default bridge of each of the class's sessions, until cleared. */
  setForClass: learnerProcedure
    .input(classIdInput.extend({ spec: linkSpecSchema }))
    .mutation(({ ctx, input }) =>
      setClassLink({ db: ctx.db, boss: ctx.boss, actor: actorOf(ctx.learner), classId: input.classId, spec: input.spec }),
    ),

  /** Removes the class's impairment. */
  clearForClass: learnerProcedure
    .input(classIdInput)
    .mutation(({ ctx, input }) =>
      clearClassLink({ db: ctx.db, boss: ctx.boss, actor: actorOf(ctx.learner), classId: input.classId }),
    ),
});
