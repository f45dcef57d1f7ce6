// A worker's admission of the line (admitWaiting.ts), one run at a time: poked after each teardown it
// finishes and on its heartbeat loop. A poke during a run asks for one more run after it, so a place
// freed while the line was being read is never left unseen until the next heartbeat.
import type { Db } from "~/core/db";
import type { Boss } from "~/core/jobs/boss";
import type { Logger } from "~/core/log";
import { admitWaiting } from "./admitWaiting";
import type { PlatformCaps } from "./platformRoom";

export type Admitter = {
  /** Admits now, or once more after the run under way; resolves when the line has been looked at. */
  poke: () => Promise<void>;
  /** No new runs; waits for the one under way. */
  stop: () => Promise<void>;
};

export function createAdmitter(options: {
  db: Db;
  boss: Boss;
  staleSeconds: number;
  caps: PlatformCaps;
  /** MAX_WAIT_MINUTES: each run first ends the waits longer than this. */
  maxWaitMinutes?: number;
  log: Logger;
}): Admitter {
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  const loop = async () => {
    do {
      again = false;
      try {
        const admitted = await admitWaiting(options);
        if (admitted.length) options.log.info({ admitted: admitted.length }, "admitted sessions waiting in line");
      } catch (error) {
        options.log.error({ err: error }, `admitting the line failed: ${(error as Error).message}`);
      }
    } while (again && !stopped);
  };
  return {
    poke() {
      if (stopped) return Promise.resolve();
      if (running) {
        again = true;
        return running;
      }
      running = loop().finally(() => (running = undefined));
      return running;
    },
    async stop() {
      stopped = true;
      await running;
    },
  };
}
