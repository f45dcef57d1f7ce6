// Brings a running session's helpers in step with its desired impairments (idempotent): a helper
// that applies what is wanted, in the namespace that is there now, stays; any other is stopped and
// removed (it removes what it added); each missing one is started. Rows naming a container the
// session no longer has are forgotten, so a new container of that name starts unimpaired.
import type { Db } from "~/core/db";
import type { AppliedLink, ImpairPort, NamespaceHandle } from "~/core/provisioner/impairPort";
import { LINK_LIMITS, sameLinkSpec, type LinkView } from "~/protocol/linkSpec";
import { isRunning } from "~/protocol/sessionStatus";
import { desiredLinks, interfacesOf, namespaceOwnerOf, type LinkEngineView } from "./desired";
import { classSpecOf, platformContainers, sessionLinkRows } from "./linkStore";

export type ReconcileLinksDeps = {
  db: Db;
  impair: ImpairPort;
  /** The session's engine view as the engine shows it now (containers and topology). */
  readView: (sessionId: string) => Promise<LinkEngineView>;
};

export type LinksReport = {
  /** "container/iface" of each helper started, removed, and the rows forgotten. */
  applied: string[];
  removed: string[];
  forgotten: string[];
  /** What could not be applied, each with the helper's words. */
  failed: { place: string; error: string }[];
};

const placeOf = (l: { container: string; iface: string }) => `${l.container}/${l.iface}`;

export async function reconcileLinks(deps: ReconcileLinksDeps, sessionId: string): Promise<LinksReport> {
  const report: LinksReport = { applied: [], removed: [], forgotten: [], failed: [] };
  const session = await deps.db.labSession.findUnique({ where: { id: sessionId } });
  if (!session || !isRunning(session.status)) return report; // its teardown removes its helpers
  const [view, rows, classSpec, present] = await Promise.all([
    deps.readView(sessionId),
    sessionLinkRows(deps.db, sessionId),
    classSpecOf(deps.db, session.classId),
    deps.impair.applied(sessionId),
  ]);
  const platform = platformContainers(session);
  const gone = rows.filter((r) => namespaceOwnerOf(view, r.container, platform) !== r.container);
  if (gone.length) {
    await deps.db.linkImpairment.deleteMany({
      where: { sessionId, OR: gone.map((r) => ({ container: r.container, iface: r.iface })) },
    });
    report.forgotten.push(...gone.map(placeOf));
  }
  // At most LINK_LIMITS.maxInterfaces helpers per session, the class's first (writes are bounded
  // too; this holds when concurrent writes or the class's setting would go beyond).
  const all = desiredLinks(
    rows.filter((r) => !gone.includes(r)),
    classSpec,
    view,
  );
  const desired = [...all.filter((d) => d.source === "class"), ...all.filter((d) => d.source !== "class")].slice(
    0,
    LINK_LIMITS.maxInterfaces,
  );
  for (const d of all)
    if (!desired.includes(d))
      report.failed.push({ place: placeOf(d), error: `over the session's ${LINK_LIMITS.maxInterfaces} impaired interfaces` });

  const namespaces = new Map<string, Promise<NamespaceHandle | undefined>>();
  const namespaceOf = (owner: string) => {
    if (!namespaces.has(owner)) namespaces.set(owner, deps.impair.namespace(sessionId, owner));
    return namespaces.get(owner)!;
  };
  const wanted = (p: AppliedLink) => desired.find((d) => d.container === p.container && d.iface === p.iface);

  const kept = new Set<LinkView>();
  for (const p of present) {
    const d = wanted(p);
    const ns = d ? await namespaceOf(p.container) : undefined;
    if (d && ns && p.running && p.namespace === ns.key && sameLinkSpec(p.spec, d.spec) && !kept.has(d)) {
      kept.add(d);
      continue;
    }
    await deps.impair.remove(sessionId, p);
    report.removed.push(placeOf(p));
  }
  for (const d of desired) {
    if (kept.has(d)) continue;
    const ns = await namespaceOf(d.container);
    if (!ns) continue; // not running: applied when it runs again (an engine view change)
    const interfaces = interfacesOf(view, d.container);
    if (interfaces && !interfaces.includes(d.iface)) continue; // the interface went (a network disconnected)
    try {
      await deps.impair.apply(sessionId, ns, d.iface, d.spec);
      report.applied.push(placeOf(d));
    } catch (error) {
      report.failed.push({ place: placeOf(d), error: (error as Error).message });
    }
  }
  return report;
}
