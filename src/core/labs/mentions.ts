// What a lab's checks rely on, read from the lab file: the learner's files a check reads and the
// names it expects. A check may only rely on what its step's instructions tell the learner about
// (validate.ts refuses the rest), so a grader cannot ask for something the learner was never shown.
import { LAB_DNS, sharedContainer } from "~/protocol/labNames";
import { type CaptureExpect, type Check, LAB_DNS_ADDRESS } from "./schema";

/**
 * Folders of the system's own state: a check reading them reads the container, not a learner's file.
 * (Not /dev/shm or /dev/mqueue: a learner can write there.)
 */
const SYSTEM_FOLDERS = ["/sys/", "/proc/", "/dev/", "/etc/", "/bin/", "/sbin/", "/usr/", "/lib/"];
const WRITABLE_SYSTEM_FOLDERS = ["/dev/shm/", "/dev/mqueue/"];

/**
 * An absolute path in a shell command, not part of a word, a URL or a pattern (`HTTP/1.0`, `GET /`);
 * `./x` and an option's attached value (`-f/tmp/x`) count.
 */
const PATH = /(?<![\w$:/]|[\w.]-|\w\.)\/(?:[A-Za-z0-9._-]+\/)*[A-Za-z0-9._-]+/g;

/** The learner's files a command reads or writes (absolute paths outside the system's folders). */
export function learnerFiles(command: string): string[] {
  const isSystem = (p: string) =>
    SYSTEM_FOLDERS.some((f) => `${p}/`.startsWith(f)) && !WRITABLE_SYSTEM_FOLDERS.some((f) => `${p}/`.startsWith(f));
  return [...new Set(command.match(PATH) ?? [])].filter((p) => !isSystem(p));
}

/**
 * Ways of naming a file that the path scan above cannot read, outside single quotes: a change of
 * folder, `~` or `$HOME`, a path relative to the exec's folder (/), a path glued to a quote, `$`,
 * `` ` `` or a glob. A check must write each file it reads as one absolute path.
 */
const INDIRECT: [RegExp, string][] = [
  [/(?:^|\/)\.{1,2}(?:\/|$)/, "walks a path with . or .."],
  [/\/proc\/[^/\s]+\/(?:root|cwd|fd)\b/, "reads through /proc/<pid>/root, cwd or fd"],
  [/(?:^|[\s;&|(=<>])~/, "uses ~"],
  [/\$\{?HOME\b/, "uses $HOME"],
  [/(?:^|[\s;&|(=<>"])(?:\.{1,2}\/|[A-Za-z0-9_-]+\/[A-Za-z0-9._-])/, "names a relative path (the exec's folder is /)"],
  [/\/[A-Za-z0-9._-]*(?:["'](?=[A-Za-z0-9._$/-])|[$`*?[{])/, "builds a path from parts or a glob"],
];
/** A change of folder, also inside a quoted script (`sh -c 'cd /tmp && cat x'`). */
const CHANGES_FOLDER = /(?:^|[\s;&|('"])cd(?:\s|$)/;

/** How a check command names a file indirectly, or undefined. */
export function indirectPath(command: string): string | undefined {
  if (CHANGES_FOLDER.test(command)) return "changes folder (cd)";
  const paths = command.match(PATH) ?? [];
  const unquoted = command.replace(/'[^']*'/g, "''");
  return INDIRECT.find(([pattern]) => pattern.test(unquoted) || paths.some((p) => pattern.test(p)))?.[1];
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
      const mode = check.networkMode && (sharedContainer(check.networkMode) ?? check.networkMode);
      return [{ field: "name", name: check.name }, ...(mode ? [{ field: "networkMode", name: mode }] : [])];
    }
    case "network":
      return [{ field: "name", name: check.name }];
    case "resolves":
      return [
        { field: "container", name: check.container },
        { field: "name", name: check.name },
      ];
    case "capture":
      return [
        { field: "on.container", name: check.on.container },
        { field: "on.interface", name: check.on.interface },
        ...captureEnds(check.expect).flatMap(({ field, end }) =>
          isContainerEnd(end) ? [{ field: `expect.${field}`, name: end }] : [],
        ),
        ...("dns" in check.expect ? [{ field: "expect.name", name: check.expect.name }] : []),
      ];
  }
}

/** The ends (containers, addresses, @labdns) a capture check's expectation names, with their fields. */
export function captureEnds(expect: CaptureExpect): { field: string; end: string }[] {
  const ends: { field: string; end: string | undefined }[] =
    "icmp" in expect
      ? [
          { field: "from", end: expect.from },
          { field: "to", end: expect.to },
        ]
      : "arp" in expect
        ? [{ field: "for", end: expect.for }]
        : "dns" in expect
          ? [{ field: "to", end: expect.to }]
          : [];
  return ends.flatMap(({ field, end }) => (end === undefined ? [] : [{ field, end }]));
}

/** The container whose addresses a capture check's end means: its name, or the lab DNS for @labdns; undefined for an address. */
export function endContainer(end: string): string | undefined {
  if (end === LAB_DNS_ADDRESS) return LAB_DNS;
  return /^\d+\.\d+\.\d+\.\d+$/.test(end) ? undefined : end;
}

/** Whether a capture check's end names a container by name (not an IPv4 address nor @labdns). */
export function isContainerEnd(end: string): boolean {
  return end !== LAB_DNS_ADDRESS && endContainer(end) !== undefined;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Whether `text` mentions `word` as a whole name or path: busybox1 is not busybox12, /tmp/ip is not
 * /tmp/ip2, and a folder is not mentioned by a file inside it (/tmp is not /tmp/x).
 */
export function mentions(text: string, word: string): boolean {
  return new RegExp(`(?<![\\w.-])${escape(word)}(?![\\w-]|\\.\\w${word.startsWith("/") ? "|/" : ""})`).test(text);
}

/** Names given with `--name NAME` (or `--name=NAME`) in a command. */
export function namesCreated(command: string): string[] {
  return [...command.matchAll(/--name[= ]+([a-z][a-z0-9-]{0,30})\b/g)].map((m) => m[1]!);
}
