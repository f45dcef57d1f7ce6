// The one logger of web and worker: pino, one JSON object per line on stdout (level as a word, ISO time),
// LOG_LEVEL (default info). On a terminal (a TTY) the same records are printed as short readable lines.
// Give each piece of work its own child: `logger.child({ workerId, sessionId, jobId })`; pass errors as `{ err }`.
// A module names itself with `component` (lower-case, e.g. "gateway"): every error-level record counts in
// wireroom_errors_total{kind=<component>}.
import pino, { type DestinationStream, type Logger, type LoggerOptions } from "pino";
import { errorKind, errorsTotal } from "./metrics/definitions";

export type { Logger };

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** LOG_LEVEL checked: unset → info; anything else not in LOG_LEVELS is a one-line error saying what is accepted. */
export function logLevelFrom(value: string | undefined): LogLevel {
  const level = (value ?? "").trim().toLowerCase() || "info";
  if ((LOG_LEVELS as readonly string[]).includes(level)) return level as LogLevel;
  throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")} (default info); got "${value}"`);
}

const options = (level: LogLevel): LoggerOptions => ({
  level,
  base: { pid: process.pid },
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
  hooks: {
    logMethod(args, method, levelValue) {
      if (levelValue >= pino.levels.values.error!) {
        const [first] = args as unknown[];
        const named = typeof first === "object" && first !== null ? (first as { component?: unknown }).component : undefined;
        errorsTotal.inc({ kind: errorKind(named ?? this.bindings().component) });
      }
      method.apply(this, args);
    },
  },
});

const HIDDEN_IN_PRETTY = new Set(["level", "time", "pid", "msg"]);

/** One JSON record as a short line for a person at a terminal: `12:34:56 INFO msg key=value …`. */
/** A value as one line: control characters (a newline that would print a forged record) escaped. */
const oneLine = (text: string) =>
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this escapes
  text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) =>
    c === "\n" ? "\\n" : c === "\r" ? "\\r" : c === "\t" ? "\\t" : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );

export function prettyLine(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = typeof record.time === "string" ? record.time.slice(11, 19) : "";
  const fields = Object.entries(record)
    .filter(([key]) => !HIDDEN_IN_PRETTY.has(key))
    .map(([key, value]) =>
      key === "err" && value && typeof value === "object" && "stack" in value
        ? `\n${String((value as { stack: unknown }).stack)}`
        : `${key}=${typeof value === "string" ? oneLine(value) : JSON.stringify(value)}`,
    );
  const level = typeof record.level === "string" ? record.level.toUpperCase() : "";
  return `${time} ${level.padEnd(5)} ${typeof record.msg === "string" ? oneLine(record.msg) : ""}${fields.length ? " " + fields.join(" ") : ""}\n`;
}

/**
 * Writes through process.stdout (so a test can read it, and a pipe or file gets every line in order);
 * pretty lines only when stdout is a TTY.
 */
function stdoutDestination(): DestinationStream {
  return { write: (line: string) => void process.stdout.write(process.stdout.isTTY ? prettyLine(line) : line) };
}

/** A logger writing to `destination` (tests) or to stdout. */
export function createLogger(level: LogLevel = logLevelFrom(process.env.LOG_LEVEL), destination?: DestinationStream): Logger {
  return pino(options(level), destination ?? stdoutDestination());
}

/** The process's logger. */
export const logger: Logger = createLogger();
