import type { Db } from "~/core/db";
import { AppError } from "~/core/errors";
import { Prisma } from "~/generated/prisma/client";
import { getTaughtClass, type Actor } from "~/core/access/classes";
import { catalog, findLab } from "~/core/labs/catalog";
import { toAssignmentView } from "./assignmentView";
import { requireFutureDueDate } from "./assignmentRules";

export type AssignmentSettings = {
  dueAt?: Date | null;
  timeLimitMinutes?: number | null;
  extendAllowed?: boolean;
  maxExtensionMinutes?: number;
};

/** The instructor assigns a lab of the catalog to the class (once per lab). */
export async function assign(options: { db: Db; actor: Actor; classId: string; labSlug: string } & AssignmentSettings) {
  const klass = await getTaughtClass(options.db, options.actor, options.classId);
  const lab = findLab(options.labSlug);
  if (!lab)
    throw new AppError(
      "NOT_FOUND",
      `There is no lab called ${options.labSlug}. Available labs: ${catalog()
        .labs.map((l) => l.slug)
        .join(", ")}.`,
    );
  requireFutureDueDate(options.dueAt);
  try {
    const created = await options.db.assignment.create({
      data: {
        classId: klass.id,
        labSlug: lab.slug,
        dueAt: options.dueAt ?? null,
        timeLimitMinutes: options.timeLimitMinutes ?? null,
        extendAllowed: options.extendAllowed ?? false,
        maxExtensionMinutes: options.maxExtensionMinutes,
      },
    });
    return toAssignmentView(created);
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")
      throw new AppError("CONFLICT", `${lab.title} is already assigned to ${klass.name}: change that assignment instead.`);
    throw error;
  }
}
