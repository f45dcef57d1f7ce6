"use client";

import { useState } from "react";
import { authClient } from "~/trpc/auth-client";
import { explainAuthError, MIN_PASSWORD } from "./authErrors";
import { Field, FormStatus } from "./Field";
import { safeNext } from "./safeNext";

type Outcome = { error: { code?: string; status?: number; message?: string } | null };

/** Runs one auth request: progress while it waits, its refusal said plainly, `done` on success. */
function useAuthAction(done: () => void) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (request: () => Promise<Outcome>) => {
    if (pending) return;
    setPending(true);
    setError(null);
    try {
      const { error: failed } = await request();
      if (failed) setError(explainAuthError(failed));
      else done();
    } catch (e) {
      setError(explainAuthError(e as Error));
    } finally {
      setPending(false);
    }
  };
  return { pending, error, run };
}

/** A full load of the next page: every query starts again as the new account. */
const go = (next: string) => () => window.location.assign(next);

function SignIn({ next }: { next: string }) {
  const action = useAuthAction(go(next));
  return (
    <section className="card auth-card" aria-labelledby="sign-in-heading">
      <h2 id="sign-in-heading">Sign in</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          void action.run(() =>
            authClient.signIn.email({ email: String(form.get("email")), password: String(form.get("password")) }),
          );
        }}
      >
        <Field label="Email" name="email" type="email" autoComplete="email" required />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required />
        <button type="submit" aria-disabled={action.pending}>
          Sign in
        </button>
        <FormStatus pending={action.pending} pendingText="Signing you in…" error={action.error} />
      </form>
    </section>
  );
}

function SignUp({ next }: { next: string }) {
  const action = useAuthAction(go(next));
  return (
    <section className="card auth-card" aria-labelledby="sign-up-heading">
      <h2 id="sign-up-heading">Create an account</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          void action.run(() =>
            authClient.signUp.email({
              name: String(form.get("name")),
              email: String(form.get("email")),
              password: String(form.get("password")),
            }),
          );
        }}
      >
        <Field
          label="Display name"
          name="name"
          autoComplete="nickname"
          required
          minLength={2}
          maxLength={40}
          hint="What others in your sessions and classes see: 2 to 40 characters."
        />
        <Field label="Email" name="email" type="email" autoComplete="email" required />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD}
          maxLength={128}
          hint={`At least ${MIN_PASSWORD} characters.`}
        />
        <button type="submit" aria-disabled={action.pending}>
          Create account
        </button>
        <FormStatus pending={action.pending} pendingText="Creating your account…" error={action.error} />
      </form>
    </section>
  );
}

function MagicLink({ next }: { next: string }) {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [email, setEmail] = useState("");
  const action = useAuthAction(() => setSentTo(email));
  return (
    <section className="card auth-card" aria-labelledby="magic-heading">
      <h2 id="magic-heading">Sign in with a magic link</h2>
      <p className="hint">No password: we make a one-time link for your email, valid 15 minutes.</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const name = String(form.get("name") ?? "").trim();
          setSentTo(null);
          void action.run(() => authClient.signIn.magicLink({ email, name: name || undefined, callbackURL: next }));
        }}
      >
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <Field
          label="Display name (new accounts only, optional)"
          name="name"
          autoComplete="nickname"
          maxLength={40}
          hint="Leave empty to be given one."
        />
        <button type="submit" aria-disabled={action.pending}>
          Send me a link
        </button>
        <FormStatus pending={action.pending} pendingText="Making your link…" error={action.error} />
        {sentTo && (
          <p role="status" className="notice">
            A sign-in link for {sentTo} is ready. This platform sends no email: the link is in the server&apos;s log, so ask
            whoever runs it. Open it in this browser to keep your guest work.
          </p>
        )}
      </form>
    </section>
  );
}

/** The sign-in page: sign in, create an account, or a magic link; then back to `next` (a local path) or home. */
export function SignInForms({ next: rawNext }: { next?: string }) {
  const next = safeNext(rawNext);
  const session = authClient.useSession();
  const user = session.data?.user;
  const signedIn = user && !user.isAnonymous;
  return (
    <>
      <h1>Sign in or create an account</h1>
      {signedIn ? (
        <p role="status" className="notice">
          You are signed in as {user.name}. <a href={next}>Continue</a>, or sign out from the menu at the top to use another
          account.
        </p>
      ) : (
        <p className="notice">
          You are a guest now. Sign in or create an account and everything you did as a guest (your labs and their submissions)
          comes with you.
        </p>
      )}
      <div className="auth-grid">
        <SignIn next={next} />
        <SignUp next={next} />
        <MagicLink next={next} />
      </div>
    </>
  );
}
