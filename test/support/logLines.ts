// The structured log (src/core/log.ts) as a test reads it: every JSON line the process writes to stdout while
// capturing, parsed. Lines that are not JSON (other output) are kept out.
import { vi } from "vitest";

export type LogRecord = Record<string, unknown> & { level: string; msg: string };

export function captureLogs(options: { quiet?: boolean } = {}) {
  const records: LogRecord[] = [];
  const original = process.stdout.write.bind(process.stdout);
  const spy = vi.spyOn(process.stdout, "write").mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
    const text = typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) ? chunk.toString("utf8") : "";
    for (const line of text.split("\n")) {
      if (!line.startsWith("{")) continue;
      try {
        records.push(JSON.parse(line) as LogRecord);
      } catch {
        // not a log record
      }
    }
    return options.quiet ? true : (original as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write);
  return { records, restore: () => spy.mockRestore() };
}
