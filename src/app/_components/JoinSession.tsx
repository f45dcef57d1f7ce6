"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { useTRPC } from "~/trpc/react";

export function JoinSession({ invite }: { invite: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const join = useMutation(trpc.session.join.mutationOptions({ onSuccess: ({ sessionId }) => router.replace(`/sessions/${sessionId}`) }));
  const started = useRef(false);
  const mutate = join.mutate;
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    mutate({ invite });
  }, [invite, mutate]);

  if (join.isError) {
    return (
      <div role="alert">
        <h1>Could not join this lab</h1>
        <p className="error">{join.error.message}</p>
        <Link href="/">See all labs</Link>
      </div>
    );
  }
  return (
    <div className="status">
      <span className="spinner" aria-hidden />
      Joining the lab…
    </div>
  );
}
