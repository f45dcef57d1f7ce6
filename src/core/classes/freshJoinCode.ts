import { Prisma } from "~/generated/prisma/client";
import { newJoinCode } from "./joinCode";

/** Runs a write with a new join code, drawing another if (1 in 2^50) it is already taken. */
export async function withFreshJoinCode<T>(write: (code: string) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write(newJoinCode());
    } catch (error) {
      const taken = error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
      if (!taken || attempt >= 3) throw error;
    }
  }
}
