import "server-only";
import { catalog } from "~/core/labs/catalog";
import { createTRPCRouter, publicProcedure } from "~/server/api/trpc";
import { labPoints } from "~/core/labs/schema";

export const labRouter = createTRPCRouter({
  list: publicProcedure.query(() =>
    catalog().labs.map((lab) => ({
      slug: lab.slug,
      title: lab.title,
      summary: lab.summary,
      estimatedMinutes: lab.estimatedMinutes,
      covers: lab.covers,
      points: labPoints(lab),
    })),
  ),
});
