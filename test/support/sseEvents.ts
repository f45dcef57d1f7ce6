// Server-sent events read from a response body, as a browser's EventSource parses them: `event:`
// and `data:` lines, a blank line ends an event. Each event carries the wall-clock time (ms,
// sub-ms resolution, comparable between processes) at which its chunk arrived. Used by the tests'
// and the benchmarks' tRPC subscriptions (test/support/subscribeOnce.ts, bench/trpcSse.ts).

export type SseEvent = { event: string; text: string; receivedAt: number };

/** The stream's events, in order, until it ends. */
export async function* sseEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let event = "message";
  let data: string[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    const receivedAt = performance.timeOrigin + performance.now();
    buffer += decoder.decode(value, { stream: true });
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline).replace(/\r$/, "");
      buffer = buffer.slice(newline + 1);
      if (line.startsWith("event:")) event = line.slice(6).trim();
      else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      else if (line === "" && (data.length || event !== "message")) {
        yield { event, text: data.join("\n"), receivedAt };
        event = "message"; // after a value, connected or ping
        data = [];
      }
    }
  }
}
