"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { authClient } from "~/trpc/auth-client";
import { useTRPC } from "~/trpc/react";
import { errorText } from "./errorText";
import { Field, FormStatus } from "./Field";

/** /setup: a signed-in account enters the one-time setup token the server printed, and becomes the first admin. */
export function SetupForm() {
  const trpc = useTRPC();
  const me = useQuery(trpc.account.me.queryOptions());
  const session = authClient.useSession();
  const redeem = useMutation(trpc.account.redeemSetupToken.mutationOptions());
  if (me.isPending) {
    return (
      <p role="status" className="status">
        <span className="spinner" aria-hidden /> Checking who you are…
      </p>
    );
  }
  return (
    <>
      <h1>Set up this platform</h1>
      <p>
        The first admin is made with the one-time setup token the server printed when it started (valid 24 hours). Lost it? Run{" "}
        <code>npm run setup-token</code> on the server for a new one.
      </p>
      {me.data?.guest && (
        <p className="notice">
          You are a guest: <Link href="/sign-in?next=/setup">sign up or sign in</Link> first, then come back here.
        </p>
      )}
      {redeem.isSuccess || me.data?.role === "admin" ? (
        <p role="status" className="notice">
          You are an admin of this platform. <Link href="/admin">Open the admin page</Link> to make instructors.
        </p>
      ) : (
        <form
          className="card narrow"
          onSubmit={(e) => {
            e.preventDefault();
            if (redeem.isPending) return;
            redeem.mutate(
              { token: String(new FormData(e.currentTarget).get("token")) },
              {
                // The account menu reads the session: it shows Admin once that is refetched.
                onSuccess: () => void Promise.all([me.refetch(), session.refetch()]),
              },
            );
          }}
        >
          <Field
            label="Setup token"
            name="token"
            required
            autoComplete="off"
            spellCheck={false}
            hint="43 letters, digits, - and _, from the server's log."
          />
          <button type="submit" aria-disabled={redeem.isPending}>
            Become admin
          </button>
          <FormStatus pending={redeem.isPending} pendingText="Checking the token…" error={errorText(redeem.error)} />
        </form>
      )}
    </>
  );
}
