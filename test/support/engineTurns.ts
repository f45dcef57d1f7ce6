// Integration files run side by side (each has its own database), sharing the Docker engine and
// the machine's cores. Two kinds of work must not overlap: the files that time a neighbour's
// terminal while another learner attacks (*-abuse.int.test.ts), and work that keeps the engine
// busy for a long time (container cycles, floods through the engine). A readers-writer lock on
// the test server keeps them apart: a PostgreSQL advisory lock, exclusive for a timing file's
// whole run, shared around each piece of heavy work. Heavy work takes it in short pieces, so a
// timing file waits for one piece, not for a whole file (a waiting exclusive lock is served
// before later shared requests). The server releases it when a file's process dies.
import pg from "pg";
import { inject } from "vitest";

const ENGINE_LOCK = 7_413_001;

export function runsAlone(testFile: string): boolean {
  return /-abuse\.int\.test\.ts$/.test(testFile);
}

async function lockClient(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: inject("serverUrl") });
  await client.connect();
  return client;
}

/** Waits until no heavy work runs and no other timing file does; resolves with the end of the turn. */
export async function aloneOnEngine(): Promise<() => Promise<void>> {
  const client = await lockClient();
  await client.query("SELECT pg_advisory_lock($1)", [ENGINE_LOCK]);
  return () => client.end();
}

/**
 * A lane for heavy work: `heavy(work)` runs `work` while no timing file runs. One lane per
 * concurrent strand of work (a connection holds one turn at a time); `close()` when done.
 */
export async function heavyLane() {
  const client = await lockClient();
  return {
    async heavy<T>(work: () => Promise<T>): Promise<T> {
      await client.query("SELECT pg_advisory_lock_shared($1)", [ENGINE_LOCK]);
      try {
        return await work();
      } finally {
        await client.query("SELECT pg_advisory_unlock_shared($1)", [ENGINE_LOCK]);
      }
    },
    close: () => client.end(),
  };
}

/** Runs `work` as heavy work on a lane of its own. */
export async function heavy<T>(work: () => Promise<T>): Promise<T> {
  const lane = await heavyLane();
  try {
    return await lane.heavy(work);
  } finally {
    await lane.close();
  }
}
