// The columns of an unclaimed pooled session (src/core/pool/), for tests that write one directly
// instead of waiting for a refill: spread into labSession.create's data with its status and worker.
import { findLab } from "~/core/labs/catalog";
import { sessionLabColumns } from "~/core/labs/sessionLab";
import { POOL_OWNER } from "~/core/pool/poolOwner";

/** A pooled session of the lab `slug` (of the catalog now), made now, expiring in an hour. */
export function pooledSessionData(slug: string) {
  const lab = findLab(slug);
  if (!lab) throw new Error(`pooledSessionData: no lab "${slug}" in the catalog`);
  const now = new Date();
  return {
    labSlug: lab.slug,
    ...sessionLabColumns(lab),
    ownerId: POOL_OWNER,
    pooledAt: now,
    expiresAt: new Date(now.getTime() + 3_600_000),
  };
}
