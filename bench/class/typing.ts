// Typing at human pace with bursts: `keys` presses of "x" a burst (20 a second, a quick typist),
// each key's echo timed from its press to the arrival of its own "x"; then Ctrl-U clears the line.
// The same on a terminal through the gateway and on a raw exec stream, so the two compare.
import type { Pipe } from "../pipes";
import { BenchError } from "./http";

export const KEY_INTERVAL_MS = 50;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One burst; returns each key's echo in ms. Rejects if an echo has not come within `timeoutMs` of the last press. */
export async function typeBurst(pipe: Pipe, keys: number, timeoutMs: number): Promise<number[]> {
  const pressed: number[] = [];
  const echoes: number[] = [];
  let onAll!: () => void;
  const all = new Promise<void>((resolve) => (onAll = resolve));
  pipe.onData((text) => {
    const at = performance.now();
    for (const ch of text) {
      if (ch !== "x" || echoes.length >= pressed.length) continue;
      echoes.push(at - pressed[echoes.length]!);
      if (echoes.length === keys) onAll();
    }
  });
  for (let i = 0; i < keys; i++) {
    pressed.push(performance.now());
    pipe.write("x");
    if (i < keys - 1) await sleep(KEY_INTERVAL_MS);
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new BenchError("timeout: echo", `${keys - echoes.length} of ${keys} keys not echoed within ${timeoutMs / 1000} s`),
        ),
      timeoutMs,
    );
  });
  try {
    await Promise.race([all, late]);
  } finally {
    clearTimeout(timer);
    pipe.onData(() => {});
  }
  pipe.write("\x15"); // Ctrl-U: clear the line
  return echoes;
}
