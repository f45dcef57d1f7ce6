import { AppError } from "~/core/errors";
import type { Lab, Step } from "~/core/labs/schema";

/** The lab's step `stepId`, or NOT_FOUND naming the steps it has. */
export function labStep(lab: Lab, stepId: string): Step {
  const step = lab.steps.find((s) => s.id === stepId);
  if (!step)
    throw new AppError("NOT_FOUND", `This lab has no step "${stepId}". Steps: ${lab.steps.map((s) => s.id).join(", ")}.`);
  return step;
}
