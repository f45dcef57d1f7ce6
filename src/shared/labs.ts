// The lab catalog, shared by the web (what to list and start) and the worker (what to provision).
// Labs become data files with steps and checks in a later issue; the shape here is what the
// provisioner needs today.
import { z } from "zod";

export const containerNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,30}$/, "a container name is 1-31 lowercase letters, digits or '-', starting with a letter");

export const labContainerSchema = z.object({
  name: containerNameSchema,
  image: z.literal("busybox:latest"),
  network: z.enum(["bridge"]),
});

export const labSchema = z.object({
  slug: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string().min(1),
  summary: z.string().min(1),
  estimatedMinutes: z.number().int().positive(),
  containers: z.array(labContainerSchema).min(1),
  /** The terminal the lab page opens first. */
  defaultTerminal: containerNameSchema,
});

export type Lab = z.infer<typeof labSchema>;
export type LabContainer = z.infer<typeof labContainerSchema>;

export const labs: readonly Lab[] = [
  {
    slug: "bridge-basics",
    title: "Bridge basics",
    summary:
      "Start a busybox container on its own bridge network and look at its interfaces with ifconfig: an eth0 with a private address, and lo.",
    estimatedMinutes: 10,
    containers: [{ name: "busybox1", image: "busybox:latest", network: "bridge" }],
    defaultTerminal: "busybox1",
  },
].map((lab) => labSchema.parse(lab));

export function findLab(slug: string): Lab | undefined {
  return labs.find((lab) => lab.slug === slug);
}
