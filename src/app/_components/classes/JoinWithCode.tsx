"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { useTRPC } from "~/trpc/react";
import { JoinClassForm } from "./JoinClassForm";
import "./classes.css";

/** /join/<code>: joins the class with the code in the link, then opens it; on failure says why and offers the code form. */
export function JoinWithCode({ code }: { code: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const join = useMutation(
    trpc.classes.join.mutationOptions({ onSuccess: ({ classId }) => router.replace(`/classes/${classId}`) }),
  );
  const started = useRef(false);
  const mutate = useRef(join.mutate);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    mutate.current({ code });
  }, [code]);

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
