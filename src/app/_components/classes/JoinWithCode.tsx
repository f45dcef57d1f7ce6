"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTRPC } from "~/trpc/react";
import { JoinClassForm } from "./JoinClassForm";
import "./classes.css";

/**
 * /join/<code>: asks first (a link opened from another site must not join anyone by itself: the
 * class's instructor would see their name, email and grades), then joins with the code in the link
 * and opens the class; on failure says why and offers the code form.
 */
export function JoinWithCode({ code }: { code: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const join = useMutation(
    trpc.classes.join.mutationOptions({ onSuccess: ({ classId }) => router.replace(`/classes/${classId}`) }),
  );

  if (join.isError)
    return (
      <>
        <h1>Could not join this class</h1>
        <p role="alert" className="error">
          {join.error.message}
        </p>
        {join.error.data?.code === "CONFLICT" ? (
          <p>
            Your classes are on <Link href="/classes">the classes page</Link>.
          </p>
        ) : (
          <JoinClassForm />
        )}
      </>
    );
  if (join.isIdle)
    return (
      <>
        <h1>Join a class</h1>
        <p>
          This link joins you to a class with the code <strong>{code.slice(0, 40)}</strong>. Its instructor will see your name,
          your email if you have an account, and your work and grades in the class&apos;s labs.
        </p>
        <p>
          <button type="button" onClick={() => join.mutate({ code })}>
            Join the class
          </button>{" "}
          <Link href="/">Not now</Link>
        </p>
      </>
    );
  return (
    <>
      <h1>Joining a class</h1>
      <p role="status" aria-live="polite" className="status">
        <span className="spinner" aria-hidden />
        {join.isSuccess ? `You joined ${join.data.name}. Opening it…` : "Joining with your code…"}
      </p>
    </>
  );
}
