// The push channel's server side, reusable by any later feature (dashboards, presence): a
// notification source, and per channel a parser that names the topic a payload belongs to. Each
// topic's subscribers get its events; each time the source (re)starts listening, every subscriber
// gets { resync: true }.
import { Fanout } from "./fanout";
import type { NotificationSource } from "./source";
import { logger } from "~/core/log";

const log = logger.child({ component: "push" });

export type Resync = { resync: true };
/** Names the topic(s) a payload belongs to (one notification may reach several: a session and its class). */
export type ChannelParser<E> = (payload: string) => { topic: string; event: E } | { topic: string; event: E }[] | undefined;

export type PushHub<E> = {
  /** Subscribes to one topic (as the parsers name them); returns the unsubscribe function. */
  subscribe(topic: string, listener: (event: E | Resync) => void): () => void;
  close(): Promise<void>;
};

export function createPushHub<E>(source: NotificationSource, channels: Record<string, ChannelParser<E>>): PushHub<E> {
  const fanout = new Fanout<E | Resync>();
  source.start({
    onNotification(channel, payload) {
      const parsed = channels[channel]?.(payload);
      if (parsed) for (const { topic, event } of [parsed].flat()) fanout.publish(topic, event);
      else log.error({ channel, payload: payload.slice(0, 200) }, `push: ignored a notification on ${channel}`);
    },
    onResync: () => fanout.broadcast({ resync: true }),
  });
  return {
    subscribe: (topic, listener) => fanout.subscribe(topic, listener),
    close: () => source.close(),
  };
}
