// A sampling profile of what some PostgreSQL connections are busy with: every `everyMs`, the
// statements pg_stat_activity shows active for them, counted by text. The counts are where their
// database time goes (each sample stands for `everyMs` of one busy connection).
import type pg from "pg";

export function sampleActivity(client: pg.Client, options: { excludeAppPrefix: string; everyMs: number }) {
  const counts = new Map<string, number>();
  let samples = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const { rows } = await client.query<{ query: string }>(
        "SELECT query FROM pg_stat_activity WHERE state = 'active' AND backend_type = 'client backend' AND pid <> pg_backend_pid() AND application_name NOT LIKE $1",
        [`${options.excludeAppPrefix}%`],
      );
      samples++;
      for (const { query } of rows) {
        const text = query.replace(/\s+/g, " ").trim();
        counts.set(text, (counts.get(text) ?? 0) + 1);
      }
      await new Promise((resolve) => setTimeout(resolve, options.everyMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      const top = [...counts].sort((a, b) => b[1] - a[1]);
      return { samples, everyMs: options.everyMs, top };
    },
  };
}
