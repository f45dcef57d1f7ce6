"use client";

import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { OnArrival } from "./OnArrival";

export function LaunchLab({ slug }: { slug: string }) {
  const trpc = useTRPC();
  const start = useMutation(trpc.session.start.mutationOptions());
  return (
    <OnArrival
      run={() => start.mutateAsync({ labSlug: slug }).then((session) => `/sessions/${session.id}`)}
      pendingText={`Starting ${slug}…`}
      errorTitle="Could not start this lab"
    />
  );
}
