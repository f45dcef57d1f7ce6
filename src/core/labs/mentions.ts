// What a lab's checks rely on, read from the lab file: the learner's files a check reads and the
// names it expects. A check may only rely on what its step's instructions tell the learner about
// (validate.ts refuses the rest), so a grader cannot ask for something the learner was never shown.
import type { Check } from "./schema";

/** Folders of the system's own state: a check reading them reads the container, not a learner's file. */
const SYSTEM_FOLDERS = ["/sys/", "/proc/", "/dev/", "/etc/", "/bin/", "/sbin/", "/usr/", "/lib/"];

/** An absolute path in a shell command, not part of a word, a URL or a pattern (`HTTP/1.0`, `GET /`). */
const PATH = /(?<![\w$.:/-])\/(?:[A-Za-z0-9._-]+\/)*[A-Za-z0-9._-]+/g;

/** The learner's files a command reads or writes (absolute paths outside the system's folders). */
export function learnerFiles(command: string): string[] {
  return [...new Set(command.match(PATH) ?? [])].filter((p) => !SYSTEM_FOLDERS.some((f) => `${p}/`.startsWith(f)));
}

/** The commands a check runs, with the field each comes from. */
export function checkCommands(check: Check): { field: string; run: string }[] {
  switch (check.kind) {
    case "output":
      return [{ field: "run", run: check.run }];
    case "compare":
      return [
        { field: "left.run", run: check.left.run },
        { field: "right.run", run: check.right.run },
      ];
    default:
      return [];
  }
}

/** The names a check expects to exist (containers, networks, a name to resolve), with their fields. */
export function expectedNames(check: Check): { field: string; name: string }[] {
  switch (check.kind) {
    case "output":
      return [{ field: "container", name: check.container }];
    case "compare":
      return [
        { field: "left.container", name: check.left.container },
        { field: "right.container", name: check.right.container },
      ];
    case "container": {
      const mode = check.networkMode?.replace(/^container:/, "");
      return [{ field: "name", name: check.name }, ...(mode ? [{ field: "networkMode", name: mode }] : [])];
    }
    case "network":
      return [{ field: "name", name: check.name }];
    case "resolves":
      return [
        { field: "container", name: check.container },
        { field: "name", name: check.name },
      ];
  }
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Whether `text` mentions `word` as a whole name or path (busybox1 is not busybox12, /tmp/ip is not /tmp/ip2). */
export function mentions(text: string, word: string): boolean {
  return new RegExp(`(?<![\\w.-])${escape(word)}(?![\\w-]|\\.\\w)`).test(text);
}

/** Names given with `--name NAME` (or `--name=NAME`) in a command. */
export function namesCreated(command: string): string[] {
  return [...command.matchAll(/--name[= ]+([a-z][a-z0-9-]{0,30})\b/g)].map((m) => m[1]!);
}
