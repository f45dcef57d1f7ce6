// Who owns a session in a lab's pool of ready sessions (src/core/pool/): no one. The owner id is a
// string no user id can be (better-auth's ids are letters and digits; this one has a ':'), so no
// access rule, list, dashboard or grade ever finds a pooled session as someone's.

/** The ownerId of every unclaimed pooled session. */
export const POOL_OWNER = "pool:unclaimed";
