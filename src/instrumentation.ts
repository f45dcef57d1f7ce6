// Next calls register() once when a server starts (never during `next build`): the web's settings
// are checked here, so a wrong one stops the server at boot with its name and what is accepted,
// instead of failing the first request that reads it. Nothing here opens the database.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { webEnv } = await import("~/server/env");
  webEnv();
}
