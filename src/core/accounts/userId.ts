// A user id as a procedure's input (a learner to remove, an account to give a role): better-auth's
// ids are letters, digits, - and _. Anything else (a NUL byte PostgreSQL cannot even compare) is
// refused with the rule, before it reaches the database.
import { z } from "zod";

export const userIdSchema = (message: string) => z.string({ error: message }).regex(/^[A-Za-z0-9_-]{1,100}$/, message);
