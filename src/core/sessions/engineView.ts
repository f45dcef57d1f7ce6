// LabSession.engineView: what the learner's engine panels and terminal tabs show (`docker network
// ls` for the session, `docker info`'s network drivers, the session's containers), written when
// the session becomes READY and rewritten by the worker when the session's engine objects change
// (worker/tasks/refreshEngineView.ts). Parsed on read: a row that does not match is an error
// naming the session, never a silent cast.
import { z } from "zod";

/** One row of the session's `docker network ls`. */
export const networkViewEntrySchema = z.object({
  id: z.string(),
  name: z.string(),
  driver: z.string(),
  scope: z.enum(["local", "swarm"]),
});
export type NetworkViewEntry = z.infer<typeof networkViewEntrySchema>;

/**
 * One learner-visible container of the session (lab-provisioned or learner-made; never the session
 * host or the lab DNS), with its network mode in the learner's words: bridge, none, host,
 * container:busybox1, mynet.
 */
export const containerViewEntrySchema = z.object({ name: z.string(), networkMode: z.string(), running: z.boolean() });
export type ContainerViewEntry = z.infer<typeof containerViewEntrySchema>;

export const engineViewSchema = z.object({
  networks: z.array(networkViewEntrySchema),
  drivers: z.array(z.string()),
  /** In creation order. Absent in rows written before containers were viewed. */
  containers: z.array(containerViewEntrySchema).optional(),
});
export type EngineView = z.infer<typeof engineViewSchema>;

/** The stored view, or null before the session was READY. */
export function engineViewOf(row: { id: string; engineView: unknown }): EngineView | null {
  if (row.engineView === null || row.engineView === undefined) return null;
  const parsed = engineViewSchema.safeParse(row.engineView);
  if (!parsed.success) throw new Error(`session ${row.id} has a malformed engineView: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Whether two views show the same thing (both parsed by the schema, so their keys come in one order). */
export function sameEngineView(a: EngineView | null, b: EngineView | null): boolean {
  const canonical = (v: EngineView | null) => (v === null ? "null" : JSON.stringify(engineViewSchema.parse(v)));
  return canonical(a) === canonical(b);
}
