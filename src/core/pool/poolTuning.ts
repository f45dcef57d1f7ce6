// How the pools of ready sessions (src/core/pool/) behave: their sessions' age, the margin before
// that age ends, and how many the refill starts at once.

/** How long a pooled session waits for a learner before it is stopped and replaced (its expiresAt). */
export const POOL_MAX_AGE_MINUTES = 6 * 60;

/**
 * A pooled session this close to its expiry is neither claimed nor counted as in the pool: the
 * reaper could stop it between reading it as expired and stopping it, after a learner claimed it.
 * The refill stops it and makes a fresh one.
 */
export const POOL_EXPIRY_MARGIN_MINUTES = 10;

/** The most pooled sessions starting at once, platform-wide: a refill never floods the lab hosts' provisioning. */
export const POOL_STARTING_MAX = 4;
