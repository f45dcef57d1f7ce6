import { labs } from "~/shared/labs";
import { createTRPCRouter, publicProcedure } from "~/server/api/trpc";

export const labRouter = createTRPCRouter({
  list: publicProcedure.query(() =>
    labs.map(({ slug, title, summary, estimatedMinutes }) => ({ slug, title, summary, estimatedMinutes })),
  ),
});
