"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { useTRPC } from "~/trpc/react";

export function LaunchLab({ slug }: { slug: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const start = useMutation(
    trpc.session.start.mutationOptions({ onSuccess: (session) => router.replace(`/sessions/${session.id}`) }),
  );
  const launched = useRef(false);
  const mutate = start.mutate;
  useEffect(() => {
    if (launched.current) return; // once, even when React runs effects twice in development
    launched.current = true;
    mutate({ labSlug: slug });
  }, [mutate, slug]);

  if (start.isError) {
    return (
      <div role="alert">
        <h1>Could not start this lab</h1>
        <p className="error">{start.error.message}</p>
        <Link href="/">See all labs</Link>
      </div>
    );
  }
  return (
    <div className="status">
      <span className="spinner" aria-hidden />
      Starting {slug}…
    </div>
  );
}
