// The browser's better-auth client (same origin, /api/auth): session state and anonymous sign-in.
import { anonymousClient } from "better-auth/client/plugins";
import { createAuthClient } from "better-auth/react";

export const authClient = createAuthClient({ plugins: [anonymousClient()] });
