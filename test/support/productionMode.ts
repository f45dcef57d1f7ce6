// Imported first by tests that need the web as `next start` runs it: better-auth reads NODE_ENV once,
// when it is loaded, and only rate-limits (and stops assuming a local client address) in production.
Object.assign(process.env, { NODE_ENV: "production" });
