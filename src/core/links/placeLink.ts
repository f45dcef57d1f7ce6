// Which interface a link request names, checked against the session: a container of this session
// (its own learner containers, "host", "dns" with a lab DNS; anything else, another session's
// included, is simply not there) and an interface its namespace has. A `container:` or host-mode
// container's interface is its namespace owner's. Every refusal is one line saying what is accepted.
import type { Prisma } from "~/generated/prisma/client";
import { AppError } from "~/core/errors";
import { containerNameSchema } from "~/protocol/labNames";
import { LINK_LIMITS, type LinkSpec } from "~/protocol/linkSpec";
import { ifaceNameSchema } from "~/protocol/labNames";
import { bridgedInterfaces, interfacesOf, namespaceOwnerOf, type LinkEngineView } from "./desired";
import { columnsOf } from "./linkStore";

export type LinkPlace = { container: string; iface: string };
/** A place resolved to its namespace owner; `via`: the container the request named, when it joined another's namespace. */
export type ResolvedPlace = LinkPlace & { via?: string };

/** A learner's text quoted in a message: printable, bounded. */
export function quoted(text: string): string {
  const clean = text.replace(/[^\x20-\x7e]/g, "?");
  return JSON.stringify(clean.length > 40 ? `${clean.slice(0, 40)}…` : clean);
}

const bad = (message: string) => new AppError("BAD_REQUEST", message);

function namesOf(view: LinkEngineView | null, platform: readonly string[]): string[] {
  return [...platform, ...(view?.containers ?? []).map((c) => c.name)];
}

export function resolvePlace(view: LinkEngineView | null, platform: readonly string[], input: LinkPlace): ResolvedPlace {
  const names = namesOf(view, platform).join(", ");
  if (!containerNameSchema.safeParse(input.container).success)
    throw bad(`${quoted(input.container)} is not a container name; name one of this session's: ${names}`);
  if (!ifaceNameSchema.safeParse(input.iface).success)
    throw bad(`${quoted(input.iface)} is not an interface name: 1-15 letters, digits, '_', '.' or '-' (e.g. eth0)`);
  const owner = namespaceOwnerOf(view, input.container, platform);
  if (owner === undefined) throw bad(`no container ${quoted(input.container)} in this session; name one of: ${names}`);
  const interfaces = interfacesOf(view, owner);
  const who = owner === input.container ? input.container : `${input.container} (in ${owner}'s network namespace)`;
  if (interfaces && !interfaces.includes(input.iface))
    throw bad(`${who} has no interface ${quoted(input.iface)}; it has: ${interfaces.join(", ")}`);
  return { container: owner, iface: input.iface, ...(owner === input.container ? {} : { via: input.container }) };
}

/** Refuses a place its class's impairment covers: the instructor's setting is not the session's to change. */
export function refuseClassHeld(view: LinkEngineView | null, classSpec: LinkSpec | null, place: LinkPlace): void {
  if (classSpec && bridgedInterfaces(view).some((b) => b.container === place.container && b.iface === place.iface))
    throw bad(
      `${place.container}'s ${place.iface} carries your class's impairment (set by your instructor): it cannot be changed here`,
    );
}

type Tx = Prisma.TransactionClient;

/** Writes one interface's impairment; a session impairs at most LINK_LIMITS.maxInterfaces interfaces (each is a helper container). */
export async function writeLink(tx: Tx, sessionId: string, place: LinkPlace, spec: LinkSpec): Promise<void> {
  const key = { sessionId, container: place.container, iface: place.iface };
  const others = await tx.linkImpairment.count({
    where: { sessionId, NOT: { container: place.container, iface: place.iface } },
  });
  if (others >= LINK_LIMITS.maxInterfaces)
    throw new AppError(
      "LIMIT_EXCEEDED",
      `this session impairs ${others} interfaces already (at most ${LINK_LIMITS.maxInterfaces}): clear one first (link show lists them)`,
    );
  await tx.linkImpairment.upsert({
    where: { sessionId_container_iface: key },
    create: { ...key, ...columnsOf(spec) },
    update: columnsOf(spec),
  });
}

/** Whether there was one to remove. */
export async function deleteLink(tx: Tx, sessionId: string, place: LinkPlace): Promise<boolean> {
  const { count } = await tx.linkImpairment.deleteMany({ where: { sessionId, container: place.container, iface: place.iface } });
  return count > 0;
}
