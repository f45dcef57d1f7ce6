// The host terminal's `link` command (images/labhost/link.c sends its arguments to the session's
// endpoint, which calls this on the session's worker): show, set, clear, help. Whoever types in the
// session host's terminal may use it (owner, drivers, the instructor): the endpoint is the session's
// own. A set or clear is applied before the answer, so the next ping already sees it.
import type { Db } from "~/core/db";
import { AppError } from "~/core/errors";
import { formatLinkSpec, LinkWordsError, parseLinkWords, type LinkView } from "~/protocol/linkSpec";
import { isRunning } from "~/protocol/sessionStatus";
import { desiredLinks, type LinkEngineView } from "./desired";
import { classSpecOf, platformContainers, sessionLinkRows, specOf } from "./linkStore";
import { deleteLink, refuseClassHeld, resolvePlace, writeLink, type ResolvedPlace } from "./placeLink";
import type { LinksReport } from "./reconcileLinks";

export type LinkCommandDeps = {
  db: Db;
  /** The session's engine view as the engine shows it now. */
  readView: (sessionId: string) => Promise<LinkEngineView>;
  /** Reconciles the session's helpers with its rows (reconcileLinks, in the session's turn). */
  apply: (sessionId: string) => Promise<LinksReport>;
};

/** ok: printed on stdout, exit 0; else on stderr, exit 1. */
export type LinkAnswer = { ok: boolean; text: string };

export const LINK_USAGE = [
  "usage: link show",
  "       link set CONTAINER IFACE [delay 200ms] [jitter 20ms] [loss 5%] [rate 1mbit]",
  "       link clear CONTAINER IFACE",
  "       link help",
].join("\n");

export const LINK_HELP = [
  LINK_USAGE,
  "",
  "Impairs what CONTAINER sends out of its interface IFACE (egress only: a ping between two",
  "impaired containers is delayed both ways). CONTAINER is one of this session's containers,",
  "host (the session host) or dns (the lab DNS, when the lab has one).",
  "  delay   0-5000ms (or 0.2s)     jitter  0 to the delay (delay ± jitter, uniform)",
  "  loss    0-100%                 rate    8kbit to 1gbit (kbit, mbit, gbit), or none",
  "A setting left out is 0 (rate: none). link set replaces what the interface had.",
].join("\n");

const fail = (text: string): LinkAnswer => ({ ok: false, text: `link: ${text}` });

function table(links: LinkView[]): string {
  if (links.length === 0) return "no impaired interfaces in this session";
  const rows = [
    ["CONTAINER", "IFACE", "IMPAIRMENT", "SET BY"],
    ...links.map((l) => [l.container, l.iface, formatLinkSpec(l.spec), l.source === "class" ? "your class" : "this session"]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]! + 3))).join("")).join("\n");
}

const where = (p: ResolvedPlace) =>
  `${p.container} ${p.iface}${p.via ? ` (${p.via} shares ${p.container}'s network namespace)` : ""}`;

export async function runLinkCommand(deps: LinkCommandDeps, sessionId: string, args: string[]): Promise<LinkAnswer> {
  const [verb, ...rest] = args;
  if (verb === undefined || verb === "") return fail(`missing command\n${LINK_USAGE}`);
  if (verb === "help" || verb === "--help" || verb === "-h") return { ok: true, text: LINK_HELP };
  if (!["show", "set", "clear"].includes(verb))
    return fail(`unknown command ${JSON.stringify(verb.slice(0, 20))}: use show, set, clear or help\n${LINK_USAGE}`);
  const session = await deps.db.labSession.findUnique({ where: { id: sessionId } });
  if (!session || !isRunning(session.status)) return fail("the lab is not running");
  try {
    const view = await deps.readView(sessionId);
    const platform = platformContainers(session);
    const classSpec = await classSpecOf(deps.db, session.classId);
    if (verb === "show") {
      if (rest.length) return fail(`link show takes no arguments\n${LINK_USAGE}`);
      return { ok: true, text: table(desiredLinks(await sessionLinkRows(deps.db, sessionId), classSpec, view)) };
    }
    if (rest.length < 2)
      return fail(
        `link ${verb} needs a container and an interface, e.g. link ${verb} busybox1 eth0${verb === "set" ? " delay 200ms" : ""}\n${LINK_USAGE}`,
      );
    const [container, iface, ...words] = rest as [string, string, ...string[]];
    if (verb === "clear" && words.length) return fail(`link clear takes only a container and an interface\n${LINK_USAGE}`);
    const spec = verb === "set" ? parseLinkWords(words) : undefined;
    const place = resolvePlace(view, platform, { container, iface });
    refuseClassHeld(view, classSpec, place);
    const key = { sessionId, container: place.container, iface: place.iface };
    const before = await deps.db.linkImpairment.findUnique({ where: { sessionId_container_iface: key } });
    if (spec) await deps.db.$transaction((tx) => writeLink(tx, sessionId, place, spec));
    else if (!(await deps.db.$transaction((tx) => deleteLink(tx, sessionId, place))))
      return { ok: true, text: `${where(place)}: had no impairment` };
    const report = await deps.apply(sessionId);
    const failed = report.failed.find((f) => f.place === `${place.container}/${place.iface}`);
    if (failed) {
      // Back to what it had: the row that could not be applied does not stay.
      await deps.db.$transaction(async (tx) => {
        if (before) await writeLink(tx, sessionId, place, specOf(before));
        else await deleteLink(tx, sessionId, place);
      });
      await deps.apply(sessionId).catch(() => undefined);
      return fail(failed.error);
    }
    return { ok: true, text: spec ? `${where(place)}: ${formatLinkSpec(spec)}` : `${where(place)}: cleared` };
  } catch (error) {
    if (error instanceof AppError || error instanceof LinkWordsError) return fail(error.message);
    throw error;
  }
}
