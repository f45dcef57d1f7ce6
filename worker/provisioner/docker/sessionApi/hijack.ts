// The raw half of an attach or exec-start stream. Nothing the learner sends reaches the engine
// before the engine has switched the connection to a stream (101): otherwise bytes sent after the
// request (pipelined in the same packet) would be read by the engine as a new, unchecked request.
import { connect, type Socket } from "node:net";
import { EngineError } from "./engineHttp";

const MAX_HEAD = 16 * 1024;

/** Reads exactly `length` bytes of the learner's request body (from `head`, then the socket); returns it and what followed. */
export function readClientBody(client: Socket, head: Buffer, length: number): Promise<{ body: Buffer; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    let buffered = head;
    const done = () => {
      client.off("data", onData);
      client.off("close", onClose);
      client.pause();
      resolve({ body: buffered.subarray(0, length), rest: buffered.subarray(length) });
    };
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length >= length) done();
    };
    const onClose = () => reject(new Error("the client left before sending its request body"));
    if (buffered.length >= length) {
      resolve({ body: buffered.subarray(0, length), rest: buffered.subarray(length) });
      return;
    }
    client.on("data", onData);
    client.on("close", onClose);
  });
}

/** The engine's answer head (status line and headers) and the bytes after it. */
function readAnswerHead(engine: Socket): Promise<{ status: number; head: Buffer; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    const cleanup = () => {
      engine.off("data", onData);
      engine.off("error", onError);
      engine.off("close", onClose);
    };
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf("\r\n\r\n");
      if (end < 0) {
        if (buffered.length > MAX_HEAD) onError(new Error("the engine's answer head is too large"));
        return;
      }
      cleanup();
      engine.pause();
      const head = buffered.subarray(0, end + 4);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head.toString("latin1"))?.[1] ?? 0);
      resolve({ status, head, rest: buffered.subarray(end + 4) });
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onClose = () => onError(new Error("the engine closed the connection before answering"));
    engine.on("data", onData);
    engine.on("error", onError);
    engine.on("close", onClose);
  });
}

/** The body of a refused upgrade (Content-Length, or until the engine closes), as an EngineError. */
function refusal(engine: Socket, status: number, head: Buffer, rest: Buffer): Promise<EngineError> {
  const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head.toString("latin1"))?.[1] ?? -1);
  return new Promise((resolve) => {
    let body = rest;
    const finish = () => {
      engine.destroy();
      resolve(EngineError.from({ status, headers: {}, body: length >= 0 ? body.subarray(0, length) : body }));
    };
    if (length >= 0 && body.length >= length) return finish();
    engine.on("data", (chunk: Buffer) => {
      body = Buffer.concat([body, chunk]);
      if ((length >= 0 && body.length >= length) || body.length > MAX_HEAD) finish();
    });
    engine.on("close", finish);
    engine.on("error", finish);
    engine.resume();
  });
}

/**
 * Sends the rewritten upgrade request (`body` is the endpoint's own) on a new engine connection.
 * On 101 the engine's answer goes to the learner, then `rest` (what the learner sent after its
 * body) and both directions are piped, closed together. Any other answer is thrown as an EngineError.
 * A learner who has left (`left`), before or while the engine answers, gets no engine connection kept.
 */
export async function engineHijack(
  socketPath: string,
  path: string,
  body: Buffer,
  client: Socket,
  rest: Buffer,
  left: AbortSignal,
): Promise<void> {
  if (left.aborted) return;
  const engine = connect(socketPath);
  const drop = () => engine.destroy();
  left.addEventListener("abort", drop, { once: true });
  const lines = [
    `POST ${path} HTTP/1.1`,
    "Host: docker",
    "Connection: Upgrade",
    "Upgrade: tcp",
    "Content-Type: application/json",
    `Content-Length: ${body.length}`,
  ];
  engine.write(`${lines.join("\r\n")}\r\n\r\n`);
  engine.write(body);
  let answer: { status: number; head: Buffer; rest: Buffer };
  try {
    answer = await readAnswerHead(engine);
  } catch (error) {
    engine.destroy();
    if (left.aborted) return; // the learner left: nobody to answer
    throw error;
  } finally {
    left.removeEventListener("abort", drop);
  }
  if (left.aborted) {
    engine.destroy();
    return;
  }
  if (answer.status !== 101) throw await refusal(engine, answer.status, answer.head, answer.rest);
  const close = () => {
    client.destroy();
    engine.destroy();
  };
  for (const socket of [client, engine]) {
    socket.on("close", close);
    socket.on("error", close);
  }
  client.write(answer.head);
  if (answer.rest.length) client.write(answer.rest);
  if (rest.length) engine.write(rest);
  client.pipe(engine);
  engine.pipe(client);
  client.resume();
  engine.resume();
}
