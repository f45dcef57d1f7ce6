// The browser's better-auth client (same origin, /api/auth): session state, anonymous sign-in (guests),
// email and password, magic links. `user.role` is read, never written (the server refuses it).
import { anonymousClient, inferAdditionalFields, magicLinkClient } from "better-auth/client/plugins";
import { createAuthClient } from "better-auth/react";

export const authClient = createAuthClient({
  plugins: [anonymousClient(), magicLinkClient(), inferAdditionalFields({ user: { role: { type: "string", input: false } } })],
});
