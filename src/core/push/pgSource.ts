// One dedicated PostgreSQL connection that LISTENs (a pooled one could be handed to someone else
// and lose the LISTEN). When it drops, it reconnects with a growing delay and asks subscribers to
// re-read (onResync): NOTIFY is not queued for a listener that was away.
import pg from "pg";
import type { NotificationSource } from "./source";

const RETRY_MS = { first: 250, max: 5_000 };

export function pgNotificationSource(connectionString: string, channels: string[]): NotificationSource {
  let client: pg.Client | undefined;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let delay = RETRY_MS.first;

  return {
    start(handlers) {
      const connect = async (reconnecting: boolean) => {
        const next = new pg.Client({ connectionString, application_name: "wireroom-push" });
        client = next;
        const retry = (error: unknown) => {
          if (closed || client !== next) return;
          client = undefined;
          console.error(`[push] LISTEN connection lost (${(error as Error).message ?? error}); reconnecting in ${delay} ms`);
          next.removeAllListeners();
          void next.end().catch(() => {});
          timer = setTimeout(() => void connect(true), delay);
          delay = Math.min(delay * 2, RETRY_MS.max);
        };
        next.on("error", retry);
        next.on("end", () => retry(new Error("connection ended")));
        next.on("notification", (n) => handlers.onNotification(n.channel, n.payload ?? ""));
        try {
          await next.connect();
          for (const channel of channels) await next.query(`LISTEN "${channel.replaceAll('"', "")}"`);
          delay = RETRY_MS.first;
          if (reconnecting) handlers.onResync();
        } catch (error) {
          retry(error);
        }
      };
      void connect(false);
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      const current = client;
      client = undefined;
      await current?.end().catch(() => {});
    },
  };
}
