// Printing the setup token (src/core/accounts/setupToken.ts): the line for the log, and the file
// named by SETUP_TOKEN_FILE (mode 0600) that the launcher's tests read.
import { writeFile } from "node:fs/promises";
import type { Db } from "~/core/db";
import { ensureSetupToken, SETUP_TOKEN_ALREADY_PRINTED, setupTokenLine } from "./setupToken";

/** Writes the token alone on one line, readable by this user only. */
export async function writeSetupTokenFile(path: string, token: string): Promise<void> {
  await writeFile(path, `${token}\n`, { mode: 0o600 });
}

/** At web start: while no admin exists, print a new token, or say that one was already printed. */
export async function announceSetupToken(
  db: Db,
  options: { webOrigin: string; tokenFile?: string; log?: (line: string) => void },
): Promise<void> {
  const log = options.log ?? ((line: string) => console.log(line));
  const result = await ensureSetupToken(db);
  if (result.kind === "already-printed") log(`[wireroom] No admin yet: ${SETUP_TOKEN_ALREADY_PRINTED}.`);
  if (result.kind !== "minted") return;
  log(setupTokenLine(options.webOrigin, result.token));
  if (options.tokenFile) await writeSetupTokenFile(options.tokenFile, result.token);
}
