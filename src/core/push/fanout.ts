// In-memory fan-out: one notification, every subscriber of its topic. One per process, fed by one
// LISTEN connection, so a thousand viewers of a session cost one notification, not a thousand polls.
import { logger } from "~/core/log";

const log = logger.child({ component: "push" });

export type Listener<E> = (event: E) => void;

export class Fanout<E> {
  private readonly topics = new Map<string, Set<Listener<E>>>();

  /** Returns the unsubscribe function (safe to call twice). */
  subscribe(topic: string, listener: Listener<E>): () => void {
    let listeners = this.topics.get(topic);
    if (!listeners) this.topics.set(topic, (listeners = new Set()));
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.topics.get(topic) === listeners) this.topics.delete(topic);
    };
  }

  /** Delivers to the topic's subscribers; returns how many. One failing listener does not stop the rest. */
  publish(topic: string, event: E): number {
    const listeners = [...(this.topics.get(topic) ?? [])];
    for (const listener of listeners) deliver(listener, event);
    return listeners.length;
  }

  /** Delivers to every subscriber of every topic (after a reconnect, when anything may have been missed). */
  broadcast(event: E): number {
    let count = 0;
    for (const topic of [...this.topics.keys()]) count += this.publish(topic, event);
    return count;
  }

  get subscriberCount(): number {
    let count = 0;
    for (const listeners of this.topics.values()) count += listeners.size;
    return count;
  }
}

function deliver<E>(listener: Listener<E>, event: E) {
  try {
    listener(event);
  } catch (error) {
    log.error({ err: error }, "push: a subscriber failed");
  }
}
