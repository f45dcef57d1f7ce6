// The class benchmark's command line: `--learners 300 --steps 1,20,50,100,200,300 --workers 1|2`,
// `--quick` (steps 1,20), the lab and the platform's limits. Bad input is one line saying what is accepted.
export type ClassOptions = {
  steps: number[];
  workers: number;
  lab: string;
  /** Key bursts per learner, each typed through the gateway and then raw (interleaved). */
  bursts: number;
  /** Keys in a burst. */
  burstKeys: number;
  /** The web's MAX_ACTIVE_SESSIONS and MAX_ACTIVE_CONTAINERS, each worker's WORKER_CAPACITY. */
  maxSessions: number;
  maxContainers: number;
  capacity: number;
  /** SESSION_POOL for the web and the workers ("" = no pool). */
  pool: string;
  /** Raw CLI starts measured at each step (at once, up to 20). */
  rawStarts: number;
  /** Learners arrive within this many seconds of a step's start (a class told to click Start). */
  arrivalSeconds: number;
};

function fail(message: string): never {
  console.error(`bench:class: ${message}`);
  process.exit(2);
}

function value(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = argv[i + 1];
  if (v === undefined || v.startsWith("--")) fail(`--${name} needs a value`);
  return v;
}

function whole(argv: string[], name: string, fallback: number, min: number, max: number): number {
  const raw = value(argv, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) fail(`--${name} takes a whole number from ${min} to ${max} (got "${raw}")`);
  return n;
}

const KNOWN = [
  "learners",
  "steps",
  "workers",
  "lab",
  "bursts",
  "burst-keys",
  "max-sessions",
  "max-containers",
  "capacity",
  "pool",
  "raw-starts",
  "arrival-seconds",
];

export function parseOptions(argv: string[]): ClassOptions {
  for (const arg of argv)
    if (arg.startsWith("--") && arg !== "--quick" && !KNOWN.includes(arg.slice(2)))
      fail(`unknown option ${arg}; accepted: --quick, ${KNOWN.map((k) => `--${k}`).join(", ")}`);
  const learners = whole(argv, "learners", 300, 1, 1000);
  const stepsText = value(argv, "steps") ?? (argv.includes("--quick") ? "1,20" : "1,20,50,100,200,300");
  const steps = stepsText.split(",").map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1 || n > 1000)
      fail(`--steps takes whole numbers from 1 to 1000, comma-separated (got "${s}")`);
    return n;
  });
  return {
    steps: steps.filter((n) => n <= learners),
    workers: whole(argv, "workers", 1, 1, 2),
    lab: value(argv, "lab") ?? "none",
    bursts: whole(argv, "bursts", 2, 1, 20),
    burstKeys: whole(argv, "burst-keys", 20, 1, 50),
    maxSessions: whole(argv, "max-sessions", 40, 1, 10_000),
    maxContainers: whole(argv, "max-containers", 200, 2, 100_000),
    capacity: whole(argv, "capacity", 400, 2, 100_000),
    pool: value(argv, "pool") ?? "",
    rawStarts: whole(argv, "raw-starts", 3, 1, 20),
    arrivalSeconds: whole(argv, "arrival-seconds", 5, 0, 600),
  };
}
