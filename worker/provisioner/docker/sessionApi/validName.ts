// A name the learner gives a container or network, checked with the lab's own rule (labNames.ts).
import { learnerNameSchema } from "~/protocol/labNames";
import { badRequest } from "./apiError";
import { echo } from "./messages";

export function parseLearnerName(name: string, what: "container" | "network"): string {
  const parsed = learnerNameSchema.safeParse(name);
  if (parsed.success) return parsed.data;
  const reason = parsed.error.issues[0]?.message ?? "invalid name";
  return refuse(`invalid ${what} name "${echo(name)}": ${reason.replace(/^a container name/, `a ${what} name`)}`);
}

function refuse(message: string): never {
  throw badRequest(message);
}
