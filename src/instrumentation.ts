// Next calls register() once when a server starts (never during `next build`): the web's settings
// are checked here, so a wrong one stops the server at boot with its name and what is accepted,
// instead of failing the first request that reads it. Then, while no admin exists, the one-time
// setup token is printed (src/core/accounts/setupToken.ts); a database that does not answer is
// logged, and the server still starts.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { webEnv } = await import("~/server/env");
  const env = webEnv();
  const [{ getDb }, { announceSetupToken }, { logger }] = await Promise.all([
    import("~/core/db"),
    import("~/core/accounts/announceSetupToken"),
    import("~/core/log"),
  ]);
  await announceSetupToken(getDb(env.DATABASE_URL), {
    webOrigin: env.WEB_ORIGINS[0]!,
    tokenFile: process.env.SETUP_TOKEN_FILE || undefined,
  }).catch((err: unknown) => logger.error({ err, component: "setup" }, "could not check for an admin / print the setup token"));
}
