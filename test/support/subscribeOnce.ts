// A tRPC subscription through the real HTTP route, as a browser's httpSubscriptionLink opens it:
// GET /api/trpc/<path>?input=<superjson>, answered with server-sent events. Reads values until one
// satisfies `until` (the first, unless told) or the server refuses, then closes the stream (the
// request's signal aborts, as a closed tab's does).
import superjson, { type SuperJSONResult } from "superjson";
import * as trpcRoute from "~/app/api/trpc/[trpc]/route";
import { sseEvents } from "./sseEvents";

/** The values read (the last one satisfied `until`), or the refusal. */
export type FirstEvent = { data?: unknown[]; error?: { code: string; message: string } };

type ErrorShape = { message: string; data?: { code?: string } };

/** The subscription's values up to the first that satisfies `until`, or its refusal (the tRPC error code and message). */
export async function subscribeOnce(
  procedure: string,
  input: unknown,
  cookie?: string,
  until: (value: unknown) => boolean = () => true,
): Promise<FirstEvent> {
  const url = new URL(`/api/trpc/${procedure}`, "http://127.0.0.1:3000");
  url.searchParams.set("input", JSON.stringify(superjson.serialize(input)));
  const headers = new Headers({ accept: "text/event-stream" });
  if (cookie !== undefined) headers.set("cookie", cookie);
  const abort = new AbortController();
  const res = await trpcRoute.GET(new Request(url, { headers, signal: abort.signal }));
  try {
    if (!res.headers.get("content-type")?.includes("text/event-stream")) {
      // Refused before any stream was opened: an ordinary JSON error.
      const body = JSON.parse(await res.text()) as { error?: { json: ErrorShape } };
      const error = body.error?.json;
      return { error: { code: error?.data?.code ?? `HTTP ${res.status}`, message: error?.message ?? "" } };
    }
    const values: unknown[] = [];
    for await (const { event, text } of sseEvents(res.body!)) {
      if (event === "serialized-error") {
        const error = superjson.deserialize(JSON.parse(text) as SuperJSONResult) as ErrorShape;
        return { error: { code: error.data?.code ?? "UNKNOWN", message: error.message } };
      }
      if (event === "message") {
        const value = superjson.deserialize(JSON.parse(text) as SuperJSONResult);
        values.push(value);
        if (until(value)) return { data: values };
      }
    }
    throw new Error(`${procedure}: the stream ended before the value awaited`);
  } finally {
    abort.abort();
  }
}
