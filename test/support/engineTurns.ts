// Integration files run side by side (each has its own database), sharing the Docker engine and
// the machine's cores. The files that time a neighbour's terminal while another learner attacks
// run alone: any other test's containers, floods or bombs could push an echo past their guards.
// A readers-writer lock on the test server keeps them apart: a PostgreSQL advisory lock, taken
// exclusively for a timing file's whole run, and shared by every other test while it runs. A
// waiting exclusive lock is served before later shared requests, so a timing file waits for the
// tests under way, not for whole files. The server releases the lock when a process dies.
import pg from "pg";
import { inject } from "vitest";

const ENGINE_LOCK = 7_413_001;

/** How long a test may wait for its turn: every timing file together, and then some. */
export const TURN_WAIT_MS = 15 * 60_000;

/**
 * The files whose assertions time a neighbour's echo under an attack. (links.int.test.ts runs beside
 * the others: its figures are lower bounds that load only raises (a 200 ms delay, a 1 mbit rate's
 * transfer time) and "before" bounds with a margin of about 10x over what a loaded machine shows.)
 */
const TIMING_FILES = /\/(screen|gateway|check)-abuse\.int\.test\.ts$/;

export function runsAlone(testFile: string): boolean {
  return TIMING_FILES.test(testFile);
}

async function lockClient(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: inject("serverUrl") });
  await client.connect();
  return client;
}

/** Waits until no other test runs; resolves with the end of the turn. */
export async function aloneOnEngine(): Promise<() => Promise<void>> {
  const client = await lockClient();
  await client.query("SELECT pg_advisory_lock($1)", [ENGINE_LOCK]);
  return () => client.end();
}

/** A connection that takes shared turns, one at a time. */
export async function sharedTurns() {
  const client = await lockClient();
  let held = false;
  return {
    async take() {
      if (held) return;
      await client.query("SELECT pg_advisory_lock_shared($1)", [ENGINE_LOCK]);
      held = true;
    },
    async release() {
      if (!held) return;
      held = false;
      await client.query("SELECT pg_advisory_unlock_shared($1)", [ENGINE_LOCK]);
    },
    close: () => client.end(),
  };
}

let testTurn: Awaited<ReturnType<typeof sharedTurns>> | undefined;

/** setupEnv: every test of an ordinary file runs in a shared turn. */
export function turnPerTest(turns: Awaited<ReturnType<typeof sharedTurns>>) {
  testTurn = turns;
}

/**
 * For a long test: gives up the test's turn and runs `lanes` lanes, each of which takes a turn
 * per piece of work (`lane(work)`), so a timing file waits for one piece rather than the test.
 */
export async function inPieces<T>(
  lanes: number,
  run: (lane: <R>(work: () => Promise<R>) => Promise<R>) => Promise<T>,
): Promise<T[]> {
  await testTurn?.release();
  return Promise.all(
    Array.from({ length: lanes }, async () => {
      const turns = await sharedTurns();
      try {
        return await run(async (work) => {
          await turns.take();
          try {
            return await work();
          } finally {
            await turns.release();
          }
        });
      } finally {
        await turns.close();
      }
    }),
  );
}
