// LabSession.engineView: what the learner's engine panels show (`docker network ls` for the
// session, `docker info`'s network drivers), written when the session becomes READY. Parsed on
// read: a row that does not match is an error naming the session, never a silent cast.
import { z } from "zod";

/** One row of the session's `docker network ls`. */
export const networkViewEntrySchema = z.object({
  id: z.string(),
  name: z.string(),
  driver: z.string(),
  scope: z.enum(["local", "swarm"]),
});
export type NetworkViewEntry = z.infer<typeof networkViewEntrySchema>;

export const engineViewSchema = z.object({ networks: z.array(networkViewEntrySchema), drivers: z.array(z.string()) });
export type EngineView = z.infer<typeof engineViewSchema>;

/** The stored view, or null before the session was READY. */
export function engineViewOf(row: { id: string; engineView: unknown }): EngineView | null {
  if (row.engineView === null || row.engineView === undefined) return null;
  const parsed = engineViewSchema.safeParse(row.engineView);
  if (!parsed.success) throw new Error(`session ${row.id} has a malformed engineView: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
