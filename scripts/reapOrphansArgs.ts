// The command line of `npm run reap-orphans`: flags read strictly, every mistake one line that says
// what is accepted (the caller prints the usage under it and exits 2).

export const USAGE = `usage: npm run reap-orphans -- [--dry-run] [--grace-minutes N] [--json] [--files-dir DIR] [--installation ID]...
  Lists, and without --dry-run removes, the Docker engine's containers and networks labelled by wireroom
  (io.wireroom.*, or io.netlab.* from before the rename) whose installation is not this database's, or whose
  session this database does not know or knows as stopped or failed. Live sessions' objects are never touched.
  --dry-run          list them (kind, name, installation, session, age, why); remove nothing
  --grace-minutes N  leave objects younger than N minutes (a whole number, 0 to 525600; default 10)
  --json             print one JSON document instead of the table
  --files-dir DIR    also remove DIR/<session> (the workers' LAB_FILES_DIR) of each session reaped
  --installation ID  consider only objects of this installation (repeatable)
  --help             print this
Needs DATABASE_URL (the installation's PostgreSQL); DOCKER_HOST, or the default socket.`;

export type ReapArgs = {
  dryRun: boolean;
  graceMinutes: number;
  json: boolean;
  filesDir?: string;
  installations: string[];
  help: boolean;
};

export class UsageError extends Error {}

const MAX_GRACE_MINUTES = 525_600; // a year
const INSTALLATION_ID = /^[A-Za-z0-9._-]{1,100}$/;

export function parseReapArgs(argv: readonly string[]): ReapArgs {
  const args: ReapArgs = { dryRun: false, graceMinutes: 10, json: false, installations: [], help: false };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    const eq = raw.startsWith("--") ? raw.indexOf("=") : -1;
    const flag = eq > 0 ? raw.slice(0, eq) : raw;
    const inline = eq > 0 ? raw.slice(eq + 1) : undefined;
    const value = (what: string): string => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--")) throw new UsageError(`${flag} needs ${what}`);
      i++;
      return next;
    };
    const noValue = () => {
      if (inline !== undefined) throw new UsageError(`${flag} takes no value (got "${inline}")`);
    };
    switch (flag) {
      case "--dry-run":
        noValue();
        args.dryRun = true;
        break;
      case "--json":
        noValue();
        args.json = true;
        break;
      case "--help":
      case "-h":
        noValue();
        args.help = true;
        break;
      case "--grace-minutes": {
        const text = value("a number of minutes");
        if (!/^\d+$/.test(text) || Number(text) > MAX_GRACE_MINUTES) {
          throw new UsageError(`--grace-minutes must be a whole number of minutes from 0 to ${MAX_GRACE_MINUTES}, got "${text}"`);
        }
        args.graceMinutes = Number(text);
        break;
      }
      case "--files-dir": {
        const dir = value("a folder (the workers' LAB_FILES_DIR)");
        if (dir === "") throw new UsageError("--files-dir needs a folder (the workers' LAB_FILES_DIR)");
        args.filesDir = dir;
        break;
      }
      case "--installation": {
        const id = value("an installation id");
        if (!INSTALLATION_ID.test(id)) {
          throw new UsageError(`--installation must be an installation id (letters, digits, '.', '_', '-'), got "${id}"`);
        }
        args.installations.push(id);
        break;
      }
      default:
        throw new UsageError(
          `unknown option "${raw}"; accepted: --dry-run, --grace-minutes N, --json, --files-dir DIR, --installation ID, --help`,
        );
    }
  }
  return args;
}
