// A tRPC subscription read over its real transport (SSE, as httpSubscriptionLink uses it): GET
// /api/trpc/<path>?input=<superjson>, then `data:` lines, each a superjson value. Each value is
// handed over with the wall-clock time (ms, sub-ms resolution) its chunk arrived, before it is decoded.
import superjson, { type SuperJSONResult } from "superjson";
import { sseEvents } from "../test/support/sseEvents";

export type SseMessage = { receivedAt: number; data: unknown };

export type Subscription = {
  /** Resolves when the server has opened the stream (its `connected` event). */
  connected: Promise<void>;
  /** Ends when the stream ends: rejects with the server's error, or the transport's. */
  done: Promise<void>;
  close: () => void;
};

export function subscribeTrpc(options: {
  baseUrl: string;
  path: string;
  input: unknown;
  cookie: string;
  onData: (message: SseMessage) => void;
}): Subscription {
  const url = new URL(`/api/trpc/${options.path}`, options.baseUrl);
  url.searchParams.set("input", JSON.stringify(superjson.serialize(options.input)));
  const abort = new AbortController();
  let onConnected!: () => void;
  const connected = new Promise<void>((resolve) => (onConnected = resolve));

  const done = (async () => {
    const res = await fetch(url, { headers: { cookie: options.cookie, accept: "text/event-stream" }, signal: abort.signal });
    if (!res.ok || !res.body) throw new Error(`${options.path}: HTTP ${res.status}: ${await res.text()}`);
    for await (const { event, text, receivedAt } of sseEvents(res.body)) {
      if (event === "connected") onConnected();
      else if (event === "serialized-error")
        throw new Error(`${options.path} refused: ${JSON.stringify(superjson.deserialize(JSON.parse(text) as SuperJSONResult))}`);
      else if (event === "message")
        options.onData({ receivedAt, data: superjson.deserialize(JSON.parse(text) as SuperJSONResult) });
    }
  })().catch((error: unknown) => {
    if (abort.signal.aborted) return;
    throw error;
  });
  return { connected, done, close: () => abort.abort() };
}
