// One dedicated PostgreSQL connection that LISTENs (a pooled one could be handed to someone else
// and lose the LISTEN). When it drops, it reconnects with a growing delay. After EVERY successful
// LISTEN, the first included, it asks subscribers to re-read (onResync): NOTIFY is not queued for
// a listener that was away, and a subscriber that arrived before the first LISTEN was active
// could otherwise miss a change made in that gap. TCP keepalive and a cheap heartbeat query
// detect a half-open connection (one that silently stopped delivering) and take the reconnect path.
import pg from "pg";
import type { NotificationSource } from "./source";
import { logger } from "~/core/log";

const log = logger.child({ component: "push" });

const RETRY_MS = { first: 250, max: 5_000 };
const HEARTBEAT = { everyMs: 30_000, timeoutMs: 10_000 };

/** What the source uses of a pg.Client (a fake in unit tests). */
export type ListenClient = Pick<pg.Client, "connect" | "query" | "end" | "on" | "removeAllListeners">;

export function pgNotificationSource(
  connectionString: string,
  channels: string[],
  options: {
    createClient?: () => ListenClient;
    heartbeat?: { everyMs: number; timeoutMs: number };
  } = {},
): NotificationSource {
  const createClient =
    options.createClient ?? (() => new pg.Client({ connectionString, application_name: "wireroom-push", keepAlive: true }));
  const heartbeat = options.heartbeat ?? HEARTBEAT;
  let client: ListenClient | undefined;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let beat: NodeJS.Timeout | undefined;
  let delay = RETRY_MS.first;

  return {
    start(handlers) {
      const connect = async () => {
        const next = createClient();
        client = next;
        const retry = (error: unknown) => {
          if (closed || client !== next) return;
          client = undefined;
          clearInterval(beat);
          log.warn(
            { err: error, delayMs: delay },
            `push: LISTEN connection lost (${(error as Error)?.message ?? error}); reconnecting in ${delay} ms`,
          );
          next.removeAllListeners();
          void next.end().catch(() => {});
          timer = setTimeout(() => void connect(), delay);
          delay = Math.min(delay * 2, RETRY_MS.max);
        };
        next.on("error", retry);
        next.on("end", () => retry(new Error("connection ended")));
        next.on("notification", (n) => handlers.onNotification(n.channel, n.payload ?? ""));
        try {
          await next.connect();
          for (const channel of channels) await next.query(`LISTEN "${channel.replaceAll('"', "")}"`);
          if (closed || client !== next) return;
          delay = RETRY_MS.first;
          clearInterval(beat);
          beat = setInterval(() => void ping(next).catch(retry), heartbeat.everyMs);
          handlers.onResync();
        } catch (error) {
          retry(error);
        }
      };
      const ping = async (c: ListenClient) => {
        let timeout: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            c.query("SELECT 1"),
            new Promise((_, reject) => {
              timeout = setTimeout(
                () => reject(new Error(`heartbeat timed out after ${heartbeat.timeoutMs} ms`)),
                heartbeat.timeoutMs,
              );
            }),
          ]);
        } finally {
          clearTimeout(timeout);
        }
      };
      void connect();
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      clearInterval(beat);
      const current = client;
      client = undefined;
      await current?.end().catch(() => {});
    },
  };
}
